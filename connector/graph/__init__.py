"""Microsoft Graph client: users and mailbox message metadata."""
