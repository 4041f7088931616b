"""Every page of the program: /join/ and /r/ for visitors, /ambassador/ for members, /program/ for managers."""

from advocacy.views import ambassador, discovery, join, program, proposals, referrals, thanks

app_name = "advocacy"
urlpatterns = [
    *join.urlpatterns,
    *program.urlpatterns,
    *proposals.urlpatterns,
    *discovery.urlpatterns,
    *thanks.urlpatterns,
    *referrals.urlpatterns,
    *ambassador.urlpatterns,
]
