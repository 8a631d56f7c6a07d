from registry.models.data import DataLibrary, DataLibraryUse
from registry.models.parties import Party, SystemPartyLink
from registry.models.systems import AISystem, SystemComponent, Tag

__all__ = ["AISystem", "DataLibrary", "DataLibraryUse", "Party", "SystemComponent", "SystemPartyLink", "Tag"]
