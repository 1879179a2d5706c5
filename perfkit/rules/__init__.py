"""Rule profiles (versioned YAML): every weight, band, threshold and cut-off, with its source."""
from .profile import PROFILE_DIR, Profile, available_profiles, load_profile

__all__ = ["Profile", "load_profile", "available_profiles", "PROFILE_DIR"]
