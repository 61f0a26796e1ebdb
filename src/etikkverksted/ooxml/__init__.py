"""Office Open XML knowledge that both the writers and the quality check need.

This layer sits below :mod:`etikkverksted.writers` and :mod:`etikkverksted.quality` and imports
neither: namespaces (:mod:`.namespaces`), safe template reading and the zip limits
(:mod:`.templates`, :mod:`.zipfiles`), the one reproducible zip writer (:mod:`.zipfiles`),
document properties (:mod:`.properties`), colours and the WCAG contrast formula
(:mod:`.color`), placeholder inheritance in PresentationML (:mod:`.placeholders`), and the only
modules that touch private names of python-pptx and python-docx (:mod:`.pptx_compat`,
:mod:`.docx_compat`).
"""
