"""Profiles: any blog platform described in a TOML file of selectors (`-a profile=x.toml`).

See README "Profile guide" for every key; `examples/` holds shipped profiles.
"""

from newscrawl.profiles.loader import Profile, ProfileError
from newscrawl.profiles.platform import ProfilePlatform, load_profile

__all__ = ["Profile", "ProfileError", "ProfilePlatform", "load_profile"]
