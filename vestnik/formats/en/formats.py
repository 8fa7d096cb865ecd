DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
# The admin shows dates as WAGTAIL_DATE(TIME)_FORMAT (dd.mm.yyyy);
# English input must accept them back.
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%m/%d/%Y"]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
