"""Using the results (绩效结果运用, SPEC §7): annual composites, promotion candidates and key talents,
mandatory work reports, unqualified staff, the six-month follow-up after a position change — raised
as cases for HR, decided by people, every decision recorded."""
