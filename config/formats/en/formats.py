"""The project's date formats for English (LANGUAGE_CODE): the ones in settings.

Django always localises dates, so a locale's own formats would win over the settings;
FORMAT_MODULE_PATH points here so that the settings' formats are the ones used.
"""

from django.conf import settings

DATE_FORMAT = settings.DATE_FORMAT
DATETIME_FORMAT = settings.DATETIME_FORMAT
SHORT_DATE_FORMAT = settings.SHORT_DATE_FORMAT
SHORT_DATETIME_FORMAT = settings.SHORT_DATETIME_FORMAT
MONTH_DAY_FORMAT = settings.MONTH_DAY_FORMAT
TIME_FORMAT = settings.TIME_FORMAT
