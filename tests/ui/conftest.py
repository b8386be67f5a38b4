"""Browser tests share the lab fixture (the device lab runs only when a test asks for it)."""
