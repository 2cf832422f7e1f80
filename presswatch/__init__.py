"""PressWatch: media monitoring for Vietnamese-language media."""
