"""Every page of the program: /join/ and /r/ for visitors, /ambassador/ for members, /program/ for managers."""

from advocacy.views import ambassador, join, program, referrals

app_name = "advocacy"
urlpatterns = [*join.urlpatterns, *program.urlpatterns, *referrals.urlpatterns, *ambassador.urlpatterns]
