"""Match an uploaded contact list against a CRM of 200,000 contacts through its batch lookup endpoint."""
