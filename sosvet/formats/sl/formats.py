# Slovenian as written in official documents: "2. decembra 2026" (the month in the genitive,
# format character E: sosvet/formats/genitive.py), "2. 12. 2026", 24-hour clock.
DATE_FORMAT = "j. E Y"
SHORT_DATE_FORMAT = "j. n. Y"
DATETIME_FORMAT = "j. E Y, H:i"
SHORT_DATETIME_FORMAT = "j. n. Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j. E"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d. %m. %Y", "%d.%m.%y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M",
    "%d. %m. %Y %H:%M",
]
