"""Arabic number and date formats: Django's, plus digit grouping.

Django's Arabic formats set a thousand separator but no NUMBER_GROUPING (0: never group), so
`intcomma` and `number_format(force_grouping=True)` printed 1234567 ungrouped on Arabic pages while
English and Spanish grouped it. Settings: FORMAT_MODULE_PATH.
"""

from django.conf.locale.ar.formats import *  # noqa: F403

NUMBER_GROUPING = 3
