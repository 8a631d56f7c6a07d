from registry.models.data import DataLibrary, DataLibraryUse
from registry.models.parties import Party, SystemPartyLink
from registry.models.systems import AISystem, SystemComponent, Tag
from registry.public.models import AgreementAcceptance, AgreementVersion, PublicPage, Ticket  # noqa: E402

__all__ = [
    "AgreementAcceptance",
    "AgreementVersion",
    "AISystem",
    "PublicPage",
    "Ticket",
    "DataLibrary",
    "DataLibraryUse",
    "Party",
    "SystemComponent",
    "SystemPartyLink",
    "Tag",
]
