"""The helpdesk sidebar's ticket count per status view, shown as "999+" above 999, with one giant workspace."""
