"""Printable forms (PDF) laid out like the source forms 4.1–4.6, with Chinese text.

A plain module (no models, no templates): functions take plain data and return PDF bytes.
- ``render_appraisal_pdf(template, *, header, section_scores, entries, total, grade)`` — forms 4.1–4.5
  from a template dict as ``aftersales templates show`` prints it.
- ``render_interview_pdf(interview)`` — form 4.6 from an interview record (or an ``InterviewSheet``).
"""

from aftersales.printing.appraisal import render_appraisal_pdf
from aftersales.printing.interview import InterviewSheet, render_interview_pdf

__all__ = ["InterviewSheet", "render_appraisal_pdf", "render_interview_pdf"]
