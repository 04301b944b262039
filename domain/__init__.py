"""Domain services: rules, status transitions and permissions. Plain Python, no botbuilder imports."""
