from registry.models.data import DataLibrary, DataLibraryUse
from registry.models.parties import Party, SystemPartyLink
from registry.models.systems import AISystem, SystemComponent, Tag
from registry.public.models import AgreementAcceptance, AgreementVersion, PublicPage  # noqa: E402

__all__ = [
    "AgreementAcceptance",
    "AgreementVersion",
    "AISystem",
    "PublicPage",
    "DataLibrary",
    "DataLibraryUse",
    "Party",
    "SystemComponent",
    "SystemPartyLink",
    "Tag",
]
