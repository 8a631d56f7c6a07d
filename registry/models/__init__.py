from registry.models.data import DataLibrary, DataLibraryUse
from registry.models.parties import Party, SystemPartyLink
from registry.models.systems import AISystem, SystemComponent, Tag
from registry.public.labels.models import LabelIssuanceDay, LabelSigningKey  # noqa: E402
from registry.public.models import AgreementAcceptance, AgreementVersion, Objection, PublicPage, Ticket  # noqa: E402

__all__ = [
    "AgreementAcceptance",
    "AgreementVersion",
    "AISystem",
    "LabelIssuanceDay",
    "LabelSigningKey",
    "Objection",
    "PublicPage",
    "Ticket",
    "DataLibrary",
    "DataLibraryUse",
    "Party",
    "SystemComponent",
    "SystemPartyLink",
    "Tag",
]
