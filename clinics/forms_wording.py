"""Forms of the held-wording path (clinics/wording.py): the author rewords, a lead decides."""

from __future__ import annotations

import copy

from django import forms

from anonymity.forms import AnonymityCheckedFormMixin
from clinics.forms_practitioner import QUESTION_MAX_WORDS, RequestForm, word_count
from clinics.models import ConsultationRequest


class RewordForm(AnonymityCheckedFormMixin, forms.Form):
    """The author's text again, scanned like the request form; still flagged, it may be sent
    once more with a reason (``allow_hold=True``)."""

    anonymity_model = ConsultationRequest
    # The same questions, words and limits as the request form asks them.
    question = copy.deepcopy(RequestForm.base_fields["question"])
    support_other = copy.deepcopy(RequestForm.base_fields["support_other"])

    def clean_question(self) -> str:
        question = self.cleaned_data["question"].strip()
        words = word_count(question)
        if words > QUESTION_MAX_WORDS:
            raise forms.ValidationError(f"Your case question must be {QUESTION_MAX_WORDS} words or fewer (it has {words})")
        return question


class ConfirmWordingForm(forms.Form):
    """What the lead was shown: the digest of the findings on the page."""

    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
