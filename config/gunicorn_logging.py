"""A gunicorn logger that keeps no access-log line for the anonymous answer pages.

Anonymous feedback and pulse answers keep no trace of their author in the database; the access log
must not keep one either (who sent a POST to the feedback form, when, from which address).
"""

from gunicorn.glogging import Logger

# Every page where an employee may answer anonymously, and the page the answer leads to.
UNLOGGED_PATHS = ("/intranet/feedback/", "/intranet/pulse/")


class PrivateAccessLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO", "").startswith(UNLOGGED_PATHS):
            return
        super().access(resp, req, environ, request_time)
