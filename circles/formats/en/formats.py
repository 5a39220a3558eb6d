# Dates in words, day first, so no reader mistakes 3/4 for 4/3.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
