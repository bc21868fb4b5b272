"""Local Dataverse + Microsoft Graph Web API emulator and demo-organisation generator (dev and demo only)."""
