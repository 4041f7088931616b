from advocacy.api import invitations, referrals

urlpatterns = [*invitations.urlpatterns, *referrals.urlpatterns]
