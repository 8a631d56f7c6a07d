"""gettext fallbacks between languages (settings.LANGUAGE_FALLBACKS, e.g. kk → ru).

Django chains every catalogue to the default language (English). For the state language that is
the wrong fallback: a reader of Kazakh understands Russian, the other official language, so a
message missing from the Kazakh catalogue is looked up in the Russian one first (which itself
falls back to English).
"""

from django.conf import settings
from django.utils.translation import trans_real

_original_add_fallback = trans_real.DjangoTranslation._add_fallback


def _add_fallback(self, localedirs=None):
    target = getattr(settings, "LANGUAGE_FALLBACKS", {}).get(self._DjangoTranslation__language)
    if target and self.domain == "django" and localedirs is None:
        # translation() is cached per language; the fallback's own chain ends in English.
        self.add_fallback(trans_real.translation(target))
        return
    _original_add_fallback(self, localedirs)


def install_language_fallbacks() -> None:
    """Route missing messages of a language through its configured fallback language."""
    trans_real.DjangoTranslation._add_fallback = _add_fallback
    trans_real._translations = {}
