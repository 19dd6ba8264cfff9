"""Reminders that carry no case content: a weekly digest and notices of overdue actions and
broken rhythms, mailed to each team's supervisors and coordinators, or shown on their home page
when no mail is configured. Counts, dates, record numbers and links only (docs/reminders.md)."""
