"""The greeter's tablet (大堂经理): triage, tickets, appointments and complaints at the door."""
