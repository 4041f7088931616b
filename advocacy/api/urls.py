from advocacy.api import discovery, invitations, referrals

urlpatterns = [*invitations.urlpatterns, *referrals.urlpatterns, *discovery.urlpatterns]
