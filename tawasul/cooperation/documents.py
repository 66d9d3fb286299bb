"""The formal request as PDF and DOCX, in Arabic, French or English.

The content is assembled once (``Formal``: letterhead, numbered sections, annex) from the
request, then laid out by two writers. The fixed wording (titles, headings, labels, names of
types, measures and roles, assurances) is the document's own legal wording and lives in
``LABELS`` below, not in the interface's gettext catalogues, so a document never comes out half
translated. What people wrote is printed exactly as written, in its own direction, and flagged
when it seems written in another language than the document's (``textlang``).

PDF: fpdf2 shapes text with HarfBuzz and runs the Unicode bidi algorithm, in Amiri (a static OFL
font with Arabic and Latin glyphs, from the fontpkg-amiri package), embedded as a subset; the
glyphs are written with a ToUnicode map, so text extracted from an Arabic PDF reads in logical
order. DOCX: Word shapes the text itself; Arabic paragraphs, runs, tables and the section are
marked right-to-left, with Amiri as the complex-script font.

The same content gives the same bytes: dates in the files come from the request, not the clock.
"""

from __future__ import annotations

import datetime
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.utils import timezone, translation
from django_countries import countries

from tawasul.cooperation import checks, textlang
from tawasul.cooperation.measures import MEASURE_FIELDS, MeasureField
from tawasul.core.handling import HandlingCode

if TYPE_CHECKING:
    from tawasul.cooperation.models import CooperationRequest

LANGUAGES = ("ar", "fr", "en")
FORMATS = ("pdf", "docx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FONT_FAMILY = "Amiri"
# Characters Amiri lacks (other scripts, symbols) are drawn from DejaVu Sans, vendored with the
# action-plan reports, instead of silently disappearing from text printed "as written".
FALLBACK_FONT = Path(__file__).resolve().parent.parent / "actionplans" / "fonts" / "DejaVuSans.ttf"
EMPTY = "—"
# fontTools logs every step of font subsetting at INFO: hundreds of lines per document.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

# fmt: off
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title_mla": "Request for mutual legal assistance in criminal matters",
        "title_extradition": "Request for extradition",
        "title_provisional_arrest": "Request for provisional arrest with a view to extradition",
        "title_transfer_of_proceedings": "Request for transfer of criminal proceedings",
        "title_jit_proposal": "Proposal to set up a joint investigation team",
        "title_spontaneous_information": "Spontaneous transmission of information",
        "title_police_information": "Police information request",
        "type_mla": "Mutual legal assistance in criminal matters",
        "type_extradition": "Extradition",
        "type_provisional_arrest": "Provisional arrest",
        "type_transfer_of_proceedings": "Transfer of criminal proceedings",
        "type_jit_proposal": "Joint investigation team proposal",
        "type_spontaneous_information": "Spontaneous information",
        "type_police_information": "Police information request",
        "area_terrorism": "Terrorism",
        "area_ftf": "Foreign terrorist fighters",
        "area_terrorist_financing": "Terrorist financing",
        "area_tip": "Trafficking in persons",
        "area_som": "Smuggling of migrants",
        "area_e_evidence": "Electronic evidence",
        "area_asset_recovery": "Asset recovery",
        "area_extradition": "Extradition",
        "basis_untoc": "United Nations Convention against Transnational Organized Crime (2000)",
        "basis_untoc_tip_protocol": "Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children (2000)",
        "basis_untoc_som_protocol": "Protocol against the Smuggling of Migrants by Land, Sea and Air (2000)",
        "basis_uncac": "United Nations Convention against Corruption (2003)",
        "basis_icsft_1999": "International Convention for the Suppression of the Financing of Terrorism (1999)",
        "basis_riyadh_1983": "Riyadh Arab Agreement for Judicial Cooperation (1983)",
        "basis_arab_ct_1998": "Arab Convention for the Suppression of Terrorism (1998)",
        "basis_arab_toc_2010": "Arab Convention to Combat Transnational Organized Crime (2010)",
        "basis_budapest": "Council of Europe Convention on Cybercrime (Budapest, 2001)",
        "basis_coe_mla_1959": "European Convention on Mutual Assistance in Criminal Matters (1959)",
        "basis_coe_extradition_1957": "European Convention on Extradition (1957)",
        "basis_eu_mla_2000": "Convention on Mutual Assistance in Criminal Matters between the Member States of the European Union (2000)",
        "basis_eu_eaw_2002": "Council Framework Decision on the European arrest warrant (2002)",
        "basis_reciprocity": "Reciprocity: the requesting State undertakes to execute, in accordance with its law, a request of the same kind from the requested State.",
        "channel_phone": "Tel.",
        "channel_fax": "Fax",
        "channel_secure_email": "Secure e-mail",
        "channel_i247": "INTERPOL I-24/7",
        "ref_tawasul": "Tawasul reference",
        "ref_requesting": "Reference of the requesting authority",
        "ref_requested": "Reference of the requested authority",
        "date": "Date",
        "version": "Version of the request",
        "addressee": "To",
        "requesting_state": "Requesting State",
        "requested_state": "Requested State",
        "request_type": "Type of request",
        "legal_basis": "Legal basis",
        "area": "Area of crime",
        "sec_1": "Type of request and legal basis",
        "sec_2": "Summary of the facts and purpose of the request",
        "sec_3": "Offences and legal provisions",
        "sec_4": "Persons concerned",
        "sec_5": "Measures requested",
        "sec_6": "Urgency and time limits",
        "sec_7": "Conditions and assurances",
        "sec_8": "Confidentiality and handling",
        "sec_9": "Attachments",
        "facts": "Summary of the facts",
        "purpose": "Purpose of the request and link with the facts",
        "offence": "Offence",
        "offence_description": "Legal description",
        "provision": "Legal provision (quoted)",
        "penalty": "Maximum penalty",
        "no_offence": "No offence is stated.",
        "role_suspect": "Suspect",
        "role_accused": "Accused",
        "role_sought": "Person sought",
        "role_witness": "Witness",
        "role_victim": "Victim",
        "role_other": "Other person",
        "name_arabic": "Name in Arabic script",
        "name_latin": "Name in Latin script",
        "date_of_birth": "Date of birth",
        "place_of_birth": "Place of birth",
        "nationality": "Nationality",
        "identity_document": "Identity document",
        "other_details": "Other identifying details",
        "no_person": "No person is named.",
        "measure_testimony": "Taking of testimony",
        "measure_service_of_documents": "Service of judicial documents",
        "measure_search_seizure": "Search and seizure",
        "measure_freezing": "Freezing of assets",
        "measure_bank_records": "Bank records",
        "measure_expert_evidence": "Expert evidence",
        "measure_videoconference": "Hearing by videoconference",
        "measure_tracing_proceeds": "Tracing of proceeds of crime",
        "measure_preservation": "Expedited preservation of stored data",
        "measure_subscriber_data": "Subscriber information",
        "measure_traffic_data": "Traffic data",
        "measure_content_data": "Content data",
        "field_witness": "Witness",
        "field_questions": "Questions to put",
        "field_procedure": "Procedure to follow (oath, presence of the parties)",
        "field_recipient": "Person to be served",
        "field_address": "Address for service",
        "field_documents": "Documents to be served",
        "field_place": "Place to be searched",
        "field_items": "Items to be seized",
        "field_link": "Link between the place and the offence",
        "field_assets": "Assets to be frozen",
        "field_holder": "Holder of the assets",
        "field_amount": "Estimated amount",
        "field_bank": "Bank",
        "field_account": "Account number or IBAN",
        "field_period_start": "Period from",
        "field_period_end": "Period to",
        "field_records": "Records sought",
        "field_expertise": "Expertise required",
        "field_expert_evidence.questions": "Questions for the expert",
        "field_person": "Person to be heard",
        "field_proposed_date": "Proposed date",
        "field_technical_contact": "Technical contact",
        "field_tracing_proceeds.assets": "Proceeds or assets to be traced",
        "field_provider": "Service provider",
        "field_identifiers": "Identifiers (accounts, numbers, addresses)",
        "field_data_category": "Data to be preserved",
        "field_preservation_reference": "Reference of the preservation request",
        "no_measure": "No measure is requested.",
        "urgent": "URGENT",
        "urgent_yes": "The request is urgent.",
        "urgent_no": "The request is not urgent.",
        "urgency_reason": "Reasons for urgency",
        "deadline": "Execution requested by",
        "no_deadline": "No particular time limit.",
        "dual_criminality": "Dual criminality",
        "non_political": "Non-political nature of the offence",
        "assurances": "Assurances",
        "transit": "Countries of transit",
        "list_separator": ", ",
        "assurance_death_penalty": "The requesting State gives the assurance that the death penalty will not be sought, imposed or carried out.",
        "assurance_speciality": "The requesting State undertakes to respect the rule of speciality: without the prior consent of the requested State, it will not prosecute, try or detain the person surrendered, nor use the information and evidence provided, for matters other than those stated in this request.",
        "assurance_fair_trial": "The requesting State gives the assurance that the person concerned will receive a fair trial in accordance with international standards and will not be subjected to torture or to cruel, inhuman or degrading treatment or punishment.",
        "assurances_text": "Wording of the assurances",
        "not_applicable": "Not applicable.",
        "confidential_yes": "The requesting authority asks that this request and its contents be kept confidential, except to the extent necessary for its execution.",
        "confidential_no": "No particular confidentiality is requested.",
        "confidentiality_note": "Scope and reasons",
        "handling_code": "Handling code",
        "handling_H0": "H0 — to be used only to prevent and combat crime",
        "handling_H1": "H1 — not to be used in judicial proceedings without the permission of the originating authority",
        "handling_H2": "H2 — not to be passed on without the permission of the originating authority",
        "handling_H3": "H3 — other restrictions, as stated below",
        "restriction": "Stated restriction",
        "h1_notice": "This request and the information it contains may not be used in judicial proceedings until the requesting authority has given its permission (handling code H1).",
        "attachment": "Attachment",
        "none": "None.",
        "closing": "The requesting authority thanks the requested authority for its cooperation and remains available to provide any further information.",
        "signature_for": "For the requesting authority,",
        "place_and_date": "Place and date",
        "signatory": "Name and title of the signatory",
        "signature": "Signature and seal",
        "annex_title": "Annex — Completeness checklist",
        "score": "Completeness score: {score}%",
        "number": "No.",
        "item": "Item",
        "status": "Status",
        "done": "Done",
        "missing": "To be completed",
        "recommended": "recommended",
        "no_checklist": "No completeness check is available for this request.",
        "page_of": "Page {page} of {pages}",
        "flag_ar": "[text written in Arabic]",
        "flag_fr": "[text written in French]",
        "flag_en": "[text written in English]",
        "months": "January February March April May June July August September October November December",
        "date_format": "{day} {month} {year}",
        "colon": ": ",
    },
    "fr": {
        "title_mla": "Demande d'entraide judiciaire en matière pénale",
        "title_extradition": "Demande d'extradition",
        "title_provisional_arrest": "Demande d'arrestation provisoire aux fins d'extradition",
        "title_transfer_of_proceedings": "Demande de transfert des poursuites pénales",
        "title_jit_proposal": "Proposition de constitution d'une équipe commune d'enquête",
        "title_spontaneous_information": "Transmission spontanée d'informations",
        "title_police_information": "Demande d'information policière",
        "type_mla": "Entraide judiciaire en matière pénale",
        "type_extradition": "Extradition",
        "type_provisional_arrest": "Arrestation provisoire",
        "type_transfer_of_proceedings": "Transfert des poursuites pénales",
        "type_jit_proposal": "Proposition d'équipe commune d'enquête",
        "type_spontaneous_information": "Transmission spontanée d'informations",
        "type_police_information": "Demande d'information policière",
        "area_terrorism": "Terrorisme",
        "area_ftf": "Combattants terroristes étrangers",
        "area_terrorist_financing": "Financement du terrorisme",
        "area_tip": "Traite des personnes",
        "area_som": "Trafic illicite de migrants",
        "area_e_evidence": "Preuve électronique",
        "area_asset_recovery": "Recouvrement d'avoirs",
        "area_extradition": "Extradition",
        "basis_untoc": "Convention des Nations Unies contre la criminalité transnationale organisée (2000)",
        "basis_untoc_tip_protocol": "Protocole visant à prévenir, réprimer et punir la traite des personnes, en particulier des femmes et des enfants (2000)",
        "basis_untoc_som_protocol": "Protocole contre le trafic illicite de migrants par terre, air et mer (2000)",
        "basis_uncac": "Convention des Nations Unies contre la corruption (2003)",
        "basis_icsft_1999": "Convention internationale pour la répression du financement du terrorisme (1999)",
        "basis_riyadh_1983": "Convention arabe de Riyad sur la coopération judiciaire (1983)",
        "basis_arab_ct_1998": "Convention arabe relative à la répression du terrorisme (1998)",
        "basis_arab_toc_2010": "Convention arabe contre la criminalité transnationale organisée (2010)",
        "basis_budapest": "Convention du Conseil de l'Europe sur la cybercriminalité (Budapest, 2001)",
        "basis_coe_mla_1959": "Convention européenne d'entraide judiciaire en matière pénale (1959)",
        "basis_coe_extradition_1957": "Convention européenne d'extradition (1957)",
        "basis_eu_mla_2000": "Convention relative à l'entraide judiciaire en matière pénale entre les États membres de l'Union européenne (2000)",
        "basis_eu_eaw_2002": "Décision-cadre du Conseil relative au mandat d'arrêt européen (2002)",
        "basis_reciprocity": "Réciprocité\u00a0: l'État requérant s'engage à exécuter, conformément à sa législation, toute demande de même nature émanant de l'État requis.",
        "channel_phone": "Tél.",
        "channel_fax": "Télécopie",
        "channel_secure_email": "Courriel sécurisé",
        "channel_i247": "INTERPOL I-24/7",
        "ref_tawasul": "Référence Tawasul",
        "ref_requesting": "Référence de l'autorité requérante",
        "ref_requested": "Référence de l'autorité requise",
        "date": "Date",
        "version": "Version de la demande",
        "addressee": "Destinataire",
        "requesting_state": "État requérant",
        "requested_state": "État requis",
        "request_type": "Nature de la demande",
        "legal_basis": "Base juridique",
        "area": "Domaine de criminalité",
        "sec_1": "Nature de la demande et base juridique",
        "sec_2": "Exposé des faits et objet de la demande",
        "sec_3": "Infractions et dispositions légales",
        "sec_4": "Personnes concernées",
        "sec_5": "Mesures sollicitées",
        "sec_6": "Urgence et délais",
        "sec_7": "Conditions et garanties",
        "sec_8": "Confidentialité et code de traitement",
        "sec_9": "Pièces jointes",
        "facts": "Exposé des faits",
        "purpose": "Objet de la demande et lien avec les faits",
        "offence": "Infraction",
        "offence_description": "Qualification juridique",
        "provision": "Disposition légale (texte cité)",
        "penalty": "Peine maximale encourue",
        "no_offence": "Aucune infraction n'est indiquée.",
        "role_suspect": "Suspect",
        "role_accused": "Personne poursuivie",
        "role_sought": "Personne recherchée",
        "role_witness": "Témoin",
        "role_victim": "Victime",
        "role_other": "Autre personne",
        "name_arabic": "Nom en caractères arabes",
        "name_latin": "Nom en caractères latins",
        "date_of_birth": "Date de naissance",
        "place_of_birth": "Lieu de naissance",
        "nationality": "Nationalité",
        "identity_document": "Pièce d'identité",
        "other_details": "Autres éléments d'identification",
        "no_person": "Aucune personne n'est désignée.",
        "measure_testimony": "Audition de témoin",
        "measure_service_of_documents": "Remise des actes judiciaires",
        "measure_search_seizure": "Perquisition et saisie",
        "measure_freezing": "Gel des avoirs",
        "measure_bank_records": "Documents bancaires",
        "measure_expert_evidence": "Expertise",
        "measure_videoconference": "Audition par vidéoconférence",
        "measure_tracing_proceeds": "Recherche des produits du crime",
        "measure_preservation": "Conservation rapide de données stockées",
        "measure_subscriber_data": "Données relatives aux abonnés",
        "measure_traffic_data": "Données relatives au trafic",
        "measure_content_data": "Données de contenu",
        "field_witness": "Témoin",
        "field_questions": "Questions à poser",
        "field_procedure": "Procédure à suivre (serment, présence des parties)",
        "field_recipient": "Destinataire de l'acte",
        "field_address": "Adresse de remise",
        "field_documents": "Actes à remettre",
        "field_place": "Lieu à perquisitionner",
        "field_items": "Objets à saisir",
        "field_link": "Lien entre le lieu et l'infraction",
        "field_assets": "Avoirs à geler",
        "field_holder": "Titulaire des avoirs",
        "field_amount": "Montant estimé",
        "field_bank": "Banque",
        "field_account": "Numéro de compte ou IBAN",
        "field_period_start": "Période du",
        "field_period_end": "Période au",
        "field_records": "Documents demandés",
        "field_expertise": "Expertise requise",
        "field_expert_evidence.questions": "Questions posées à l'expert",
        "field_person": "Personne à entendre",
        "field_proposed_date": "Date proposée",
        "field_technical_contact": "Contact technique",
        "field_tracing_proceeds.assets": "Produits ou avoirs à rechercher",
        "field_provider": "Fournisseur de services",
        "field_identifiers": "Identifiants (comptes, numéros, adresses)",
        "field_data_category": "Données à conserver",
        "field_preservation_reference": "Référence de la demande de conservation",
        "no_measure": "Aucune mesure n'est sollicitée.",
        "urgent": "URGENT",
        "urgent_yes": "La demande présente un caractère d'urgence.",
        "urgent_no": "La demande ne présente pas de caractère d'urgence.",
        "urgency_reason": "Motifs de l'urgence",
        "deadline": "Exécution souhaitée au plus tard le",
        "no_deadline": "Aucun délai particulier.",
        "dual_criminality": "Double incrimination",
        "non_political": "Caractère non politique de l'infraction",
        "assurances": "Garanties",
        "transit": "Pays de transit",
        "list_separator": ", ",
        "assurance_death_penalty": "L'État requérant donne l'assurance que la peine de mort ne sera ni requise, ni prononcée, ni exécutée.",
        "assurance_speciality": "L'État requérant s'engage à respecter la règle de la spécialité\u00a0: sans le consentement préalable de l'État requis, il ne poursuivra, ne jugera ni ne détiendra la personne remise, et n'utilisera les informations et éléments de preuve fournis, pour aucun fait autre que ceux visés dans la présente demande.",
        "assurance_fair_trial": "L'État requérant donne l'assurance que la personne concernée bénéficiera d'un procès équitable conforme aux normes internationales et ne sera soumise ni à la torture ni à des peines ou traitements cruels, inhumains ou dégradants.",
        "assurances_text": "Libellé des garanties",
        "not_applicable": "Sans objet.",
        "confidential_yes": "L'autorité requérante demande que la présente demande et son contenu restent confidentiels, sauf dans la mesure nécessaire à son exécution.",
        "confidential_no": "Aucune confidentialité particulière n'est demandée.",
        "confidentiality_note": "Portée et motifs",
        "handling_code": "Code de traitement",
        "handling_H0": "H0 — à utiliser uniquement pour prévenir et combattre la criminalité",
        "handling_H1": "H1 — à ne pas utiliser dans une procédure judiciaire sans l'autorisation de l'autorité d'origine",
        "handling_H2": "H2 — à ne pas communiquer à des tiers sans l'autorisation de l'autorité d'origine",
        "handling_H3": "H3 — autres restrictions, précisées ci-dessous",
        "restriction": "Restriction précisée",
        "h1_notice": "La présente demande et les informations qu'elle contient ne peuvent être utilisées dans une procédure judiciaire qu'après autorisation de l'autorité requérante (code de traitement H1).",
        "attachment": "Pièce",
        "none": "Néant.",
        "closing": "L'autorité requérante remercie l'autorité requise de sa coopération et se tient à sa disposition pour tout complément d'information.",
        "signature_for": "Pour l'autorité requérante,",
        "place_and_date": "Lieu et date",
        "signatory": "Nom et qualité du signataire",
        "signature": "Signature et cachet",
        "annex_title": "Annexe — Liste de contrôle de la complétude",
        "score": "Taux de complétude\u00a0: {score}\u00a0%",
        "number": "N°",
        "item": "Élément",
        "status": "État",
        "done": "Fait",
        "missing": "À compléter",
        "recommended": "recommandé",
        "no_checklist": "Aucun contrôle de complétude n'est disponible pour cette demande.",
        "page_of": "Page {page} sur {pages}",
        "flag_ar": "[texte rédigé en arabe]",
        "flag_fr": "[texte rédigé en français]",
        "flag_en": "[texte rédigé en anglais]",
        "months": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "date_format": "{day} {month} {year}",
        "colon": "\u00a0: ",
    },
    "ar": {
        "title_mla": "طلب المساعدة القانونية المتبادلة في المسائل الجنائية",
        "title_extradition": "طلب تسليم",
        "title_provisional_arrest": "طلب القبض المؤقت تمهيداً للتسليم",
        "title_transfer_of_proceedings": "طلب نقل الإجراءات الجنائية",
        "title_jit_proposal": "مقترح تشكيل فريق تحقيق مشترك",
        "title_spontaneous_information": "تقديم معلومات تلقائياً",
        "title_police_information": "طلب معلومات شرطية",
        "type_mla": "المساعدة القانونية المتبادلة في المسائل الجنائية",
        "type_extradition": "تسليم المجرمين",
        "type_provisional_arrest": "القبض المؤقت",
        "type_transfer_of_proceedings": "نقل الإجراءات الجنائية",
        "type_jit_proposal": "مقترح فريق تحقيق مشترك",
        "type_spontaneous_information": "المعلومات المقدمة تلقائياً",
        "type_police_information": "طلب معلومات شرطية",
        "area_terrorism": "الإرهاب",
        "area_ftf": "المقاتلون الإرهابيون الأجانب",
        "area_terrorist_financing": "تمويل الإرهاب",
        "area_tip": "الاتجار بالأشخاص",
        "area_som": "تهريب المهاجرين",
        "area_e_evidence": "الأدلة الإلكترونية",
        "area_asset_recovery": "استرداد الأصول",
        "area_extradition": "تسليم المجرمين",
        "basis_untoc": "اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية (2000)",
        "basis_untoc_tip_protocol": "بروتوكول منع وقمع ومعاقبة الاتجار بالأشخاص، وبخاصة النساء والأطفال (2000)",
        "basis_untoc_som_protocol": "بروتوكول مكافحة تهريب المهاجرين عن طريق البر والبحر والجو (2000)",
        "basis_uncac": "اتفاقية الأمم المتحدة لمكافحة الفساد (2003)",
        "basis_icsft_1999": "الاتفاقية الدولية لقمع تمويل الإرهاب (1999)",
        "basis_riyadh_1983": "اتفاقية الرياض العربية للتعاون القضائي (1983)",
        "basis_arab_ct_1998": "الاتفاقية العربية لمكافحة الإرهاب (1998)",
        "basis_arab_toc_2010": "الاتفاقية العربية لمكافحة الجريمة المنظمة عبر الحدود الوطنية (2010)",
        "basis_budapest": "اتفاقية مجلس أوروبا بشأن الجريمة الإلكترونية (بودابست، 2001)",
        "basis_coe_mla_1959": "الاتفاقية الأوروبية للمساعدة القانونية المتبادلة في المسائل الجنائية (1959)",
        "basis_coe_extradition_1957": "الاتفاقية الأوروبية لتسليم المجرمين (1957)",
        "basis_eu_mla_2000": "اتفاقية المساعدة القانونية المتبادلة في المسائل الجنائية بين الدول الأعضاء في الاتحاد الأوروبي (2000)",
        "basis_eu_eaw_2002": "القرار الإطاري لمجلس الاتحاد الأوروبي بشأن مذكرة التوقيف الأوروبية (2002)",
        "basis_reciprocity": "المعاملة بالمثل: تتعهد الدولة الطالبة بأن تنفذ، وفقاً لتشريعها، أي طلب من النوع ذاته يرد إليها من الدولة المطلوب إليها.",
        "channel_phone": "الهاتف",
        "channel_fax": "الفاكس",
        "channel_secure_email": "البريد الإلكتروني المؤمن",
        "channel_i247": "منظومة الإنتربول I-24/7",
        "ref_tawasul": "المرجع في منصة تواصل",
        "ref_requesting": "مرجع السلطة الطالبة",
        "ref_requested": "مرجع السلطة المطلوب إليها",
        "date": "التاريخ",
        "version": "نسخة الطلب",
        "addressee": "إلى",
        "requesting_state": "الدولة الطالبة",
        "requested_state": "الدولة المطلوب إليها",
        "request_type": "نوع الطلب",
        "legal_basis": "الأساس القانوني",
        "area": "مجال الجريمة",
        "sec_1": "نوع الطلب والأساس القانوني",
        "sec_2": "ملخص الوقائع والغرض من الطلب",
        "sec_3": "الجرائم والنصوص القانونية",
        "sec_4": "الأشخاص المعنيون",
        "sec_5": "الإجراءات المطلوبة",
        "sec_6": "الاستعجال والآجال",
        "sec_7": "الشروط والضمانات",
        "sec_8": "السرية ورمز المعالجة",
        "sec_9": "المرفقات",
        "facts": "ملخص الوقائع",
        "purpose": "الغرض من الطلب وصلته بالوقائع",
        "offence": "الجريمة",
        "offence_description": "الوصف القانوني",
        "provision": "النص القانوني (مقتبس)",
        "penalty": "العقوبة القصوى المقررة",
        "no_offence": "لم تذكر أي جريمة.",
        "role_suspect": "مشتبه به",
        "role_accused": "متهم",
        "role_sought": "الشخص المطلوب",
        "role_witness": "شاهد",
        "role_victim": "ضحية",
        "role_other": "شخص آخر",
        "name_arabic": "الاسم بالحروف العربية",
        "name_latin": "الاسم بالحروف اللاتينية",
        "date_of_birth": "تاريخ الميلاد",
        "place_of_birth": "مكان الميلاد",
        "nationality": "الجنسية",
        "identity_document": "وثيقة الهوية",
        "other_details": "بيانات تعريفية أخرى",
        "no_person": "لم يذكر أي شخص.",
        "measure_testimony": "سماع الشهود",
        "measure_service_of_documents": "تبليغ الوثائق القضائية",
        "measure_search_seizure": "التفتيش والحجز",
        "measure_freezing": "تجميد الأصول",
        "measure_bank_records": "السجلات المصرفية",
        "measure_expert_evidence": "الخبرة الفنية",
        "measure_videoconference": "الاستماع عبر الاتصال المرئي",
        "measure_tracing_proceeds": "تتبع عائدات الجريمة",
        "measure_preservation": "التحفظ العاجل على البيانات المخزنة",
        "measure_subscriber_data": "بيانات المشترك",
        "measure_traffic_data": "بيانات الحركة",
        "measure_content_data": "بيانات المحتوى",
        "field_witness": "الشاهد",
        "field_questions": "الأسئلة المراد طرحها",
        "field_procedure": "الإجراءات الواجب اتباعها (اليمين، حضور الأطراف)",
        "field_recipient": "الشخص المراد تبليغه",
        "field_address": "عنوان التبليغ",
        "field_documents": "الوثائق المراد تبليغها",
        "field_place": "المكان المراد تفتيشه",
        "field_items": "الأشياء المراد حجزها",
        "field_link": "الصلة بين المكان والجريمة",
        "field_assets": "الأصول المراد تجميدها",
        "field_holder": "صاحب الأصول",
        "field_amount": "المبلغ التقديري",
        "field_bank": "المصرف",
        "field_account": "رقم الحساب أو رقم IBAN",
        "field_period_start": "الفترة من",
        "field_period_end": "الفترة إلى",
        "field_records": "السجلات المطلوبة",
        "field_expertise": "الخبرة المطلوبة",
        "field_expert_evidence.questions": "الأسئلة الموجهة إلى الخبير",
        "field_person": "الشخص المراد الاستماع إليه",
        "field_proposed_date": "التاريخ المقترح",
        "field_technical_contact": "جهة الاتصال التقنية",
        "field_tracing_proceeds.assets": "العائدات أو الأصول المراد تتبعها",
        "field_provider": "مزود الخدمة",
        "field_identifiers": "المعرفات (الحسابات، الأرقام، العناوين)",
        "field_data_category": "البيانات المراد التحفظ عليها",
        "field_preservation_reference": "مرجع طلب التحفظ",
        "no_measure": "لم يطلب أي إجراء.",
        "urgent": "عاجل",
        "urgent_yes": "الطلب مستعجل.",
        "urgent_no": "الطلب غير مستعجل.",
        "urgency_reason": "أسباب الاستعجال",
        "deadline": "يرجى التنفيذ في أجل أقصاه",
        "no_deadline": "لا يوجد أجل محدد.",
        "dual_criminality": "ازدواجية التجريم",
        "non_political": "الطابع غير السياسي للجريمة",
        "assurances": "الضمانات",
        "transit": "دول العبور",
        "list_separator": "، ",
        "assurance_death_penalty": "تتعهد الدولة الطالبة بعدم المطالبة بعقوبة الإعدام أو الحكم بها أو تنفيذها.",
        "assurance_speciality": "تتعهد الدولة الطالبة باحترام قاعدة التخصيص، فلا تلاحق الشخص المسلم ولا تحاكمه ولا تحتجزه، ولا تستعمل المعلومات والأدلة المقدمة، في غير الوقائع المبينة في هذا الطلب إلا بموافقة مسبقة من الدولة المطلوب إليها.",
        "assurance_fair_trial": "تتعهد الدولة الطالبة بأن يحظى الشخص المعني بمحاكمة عادلة وفقاً للمعايير الدولية، وبألا يتعرض للتعذيب أو لغيره من ضروب المعاملة أو العقوبة القاسية أو اللاإنسانية أو المهينة.",
        "assurances_text": "صيغة الضمانات",
        "not_applicable": "لا ينطبق.",
        "confidential_yes": "تطلب السلطة الطالبة الحفاظ على سرية هذا الطلب ومضمونه، إلا بالقدر اللازم لتنفيذه.",
        "confidential_no": "لم تطلب سرية خاصة.",
        "confidentiality_note": "النطاق والأسباب",
        "handling_code": "رمز المعالجة",
        "handling_H0": "H0 — لا يستعمل إلا لمنع الجريمة ومكافحتها",
        "handling_H1": "H1 — لا يستعمل في الإجراءات القضائية إلا بإذن الجهة المصدرة",
        "handling_H2": "H2 — لا يحال إلى أي جهة أخرى إلا بإذن الجهة المصدرة",
        "handling_H3": "H3 — قيود أخرى مبينة أدناه",
        "restriction": "القيد المبين",
        "h1_notice": "لا يجوز استعمال هذا الطلب والمعلومات الواردة فيه في أي إجراءات قضائية إلا بعد الحصول على إذن السلطة الطالبة (رمز المعالجة H1).",
        "attachment": "المرفق",
        "none": "لا يوجد.",
        "closing": "تتقدم السلطة الطالبة بالشكر إلى السلطة المطلوب إليها على تعاونها، وتبقى رهن إشارتها لتقديم أي معلومات إضافية.",
        "signature_for": "عن السلطة الطالبة،",
        "place_and_date": "المكان والتاريخ",
        "signatory": "اسم الموقع وصفته",
        "signature": "التوقيع والختم",
        "annex_title": "ملحق — قائمة التحقق من اكتمال الطلب",
        "score": "نسبة الاكتمال: {score}%",
        "number": "الرقم",
        "item": "البند",
        "status": "الحالة",
        "done": "مستوفى",
        "missing": "غير مستوفى",
        "recommended": "مستحسن",
        "no_checklist": "لا يتوفر أي تحقق من اكتمال هذا الطلب.",
        "page_of": "الصفحة {page} من {pages}",
        "flag_ar": "[نص محرر بالعربية]",
        "flag_fr": "[نص محرر بالفرنسية]",
        "flag_en": "[نص محرر بالإنجليزية]",
        "months": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
        "date_format": "{day} {month} {year}",
        "colon": ": ",
    },
}
# fmt: on

# Contact channels worth printing in a letterhead, in this order.
LETTERHEAD_CHANNELS = ("phone", "fax", "secure_email", "i247")


# ---------------------------------------------------------------- content


@dataclass(frozen=True)
class Para:
    """A paragraph. ``own_direction``: text people wrote, laid out in its own direction."""

    text: str
    style: str = "body"  # body | strong | label | title | marker | heading | subheading
    # | letterhead | small | notice | flag
    own_direction: bool = False
    flag: str = ""


@dataclass(frozen=True)
class Row:
    """A label and its value side by side."""

    label: str
    value: str
    own_direction: bool = False
    flag: str = ""


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # shares of the text width


@dataclass(frozen=True)
class Rule:
    """A thin line across the page."""


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Para | Row | Table | Rule | PageBreak


@dataclass
class Formal:
    language: str
    rtl: bool
    title: str
    author: str
    footer: str  # with {page} and {pages}
    created: datetime.datetime
    blocks: list[Block] = field(default_factory=list)


def label(language: str, key: str) -> str:
    return LABELS[language][key]


def format_date(value: datetime.date | None, language: str) -> str:
    """A date in words, Western digits (as official documents in the Maghreb write them)."""
    if value is None:
        return EMPTY
    month = label(language, "months").split()[value.month - 1]
    day = "1er" if language == "fr" and value.day == 1 else str(value.day)
    return label(language, "date_format").format(day=day, month=month, year=value.year)


def _country(code: str, language: str) -> str:
    if not code:
        return EMPTY
    with translation.override(language):
        return str(countries.name(code)) or code


def _flag(text: str, language: str) -> str:
    other = textlang.differs(text, language)
    return label(language, f"flag_{other}") if other else ""


def _written(text: str | None) -> str:
    """Text as people wrote it, with the line endings of web forms (CR LF) made plain and
    the blank lines around it dropped."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")


def _free(text: str, language: str) -> Para:
    """A paragraph people wrote: as written, or a dash when empty."""
    text = _written(text)
    if not text.strip():
        return Para(EMPTY)
    return Para(text, own_direction=True, flag=_flag(text, language))


def _free_row(row_label: str, text: str, language: str, *, flagged: bool = True) -> Row:
    text = _written(text)
    if not text.strip():
        return Row(row_label, EMPTY)
    return Row(row_label, text, own_direction=True, flag=_flag(text, language) if flagged else "")


def _measure_field_label(kind: str, spec: MeasureField, language: str) -> str:
    table = LABELS[language]
    return table.get(f"field_{kind}.{spec.name}") or table[f"field_{spec.name}"]


def _measure_value(spec: MeasureField, raw: object, language: str) -> tuple[str, bool]:
    """The printed value of a measure field, and whether it is text people wrote."""
    text = str(raw if raw is not None else "").strip()
    if spec.kind == "date" and text:
        try:
            return format_date(datetime.date.fromisoformat(text), language), False
        except ValueError:
            return text, True
    return text, True


def _legal_basis(request: CooperationRequest, language: str) -> Row:
    title = label(language, "legal_basis")
    known = LABELS[language].get(f"basis_{request.legal_basis}") if request.legal_basis else None
    if known:
        return Row(title, known)
    return _free_row(title, request.legal_basis_text, language)


def _letter_date(request: CooperationRequest) -> datetime.datetime:
    """The request's last change of content: the letter's date and the files' own dates, taken
    from the request rather than the clock (or a later status change) so that rendering the
    same content version twice gives the same bytes."""
    when = request.content_changed_at or request.created_at
    return timezone.localtime(when) if timezone.is_aware(when) else when


def build(request: CooperationRequest, language: str) -> Formal:
    """The formal request's content in ``language``, ready for a writer."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown document language {language!r}")
    t = LABELS[language]
    when = _letter_date(request)
    agency = request.requesting_agency
    requested_agency = request.requested_agency
    blocks: list[Block] = []

    # Letterhead: the requesting authority, its address and the secure ways to reach it.
    blocks.append(Para(_country(str(request.requesting_country), language), "letterhead"))
    blocks.append(Para(agency.localized_name(language), "letterhead"))
    if agency.address.strip():
        blocks.append(Para(_written(agency.address).strip(), "small", own_direction=True))
    channels = sorted(
        (c for c in agency.channels.all() if c.kind in LETTERHEAD_CHANNELS),
        key=lambda c: (LETTERHEAD_CHANNELS.index(c.kind), c.value),
    )
    for channel in channels:
        # The value keeps its own (left-to-right) order inside an Arabic line.
        value = f"\u202a{channel.value}\u202c" if language == "ar" else channel.value
        blocks.append(Para(f"{t['channel_' + channel.kind]}{t['colon']}{value}", "small"))
    blocks.append(Rule())

    blocks.append(Row(t["ref_tawasul"], request.reference or EMPTY))
    blocks.append(Row(t["ref_requesting"], request.requesting_reference or EMPTY))
    blocks.append(Row(t["ref_requested"], request.requested_reference or EMPTY))
    blocks.append(Row(t["date"], format_date(when.date(), language)))
    blocks.append(Row(t["version"], str(request.content_version)))
    addressee = (
        requested_agency.localized_name(language)
        if requested_agency is not None
        else request.requested_authority
    )
    addressee_lines = [
        line for line in (addressee, requested_agency and requested_agency.address) if line
    ]
    addressee_lines.append(_country(str(request.requested_country), language))
    blocks.append(
        Row(
            t["addressee"],
            "\n".join(_written(s).strip() for s in addressee_lines),
            own_direction=True,
        )
    )

    title = t[f"title_{request.request_type}"]
    blocks.append(Para(title, "title"))
    if request.urgent:
        blocks.append(Para(t["urgent"], "marker"))
    blocks.append(Para(f"{t['handling_code']}{t['colon']}{request.handling_code}", "small_center"))

    # 1. Type and legal basis.
    blocks.append(Para(f"1. {t['sec_1']}", "heading"))
    blocks.append(Row(t["request_type"], t[f"type_{request.request_type}"]))
    blocks.append(_legal_basis(request, language))
    blocks.append(Row(t["area"], t.get(f"area_{request.offence_category}", EMPTY)))
    blocks.append(Row(t["requesting_state"], _country(str(request.requesting_country), language)))
    blocks.append(Row(t["requested_state"], _country(str(request.requested_country), language)))

    # 2. Facts and purpose.
    blocks.append(Para(f"2. {t['sec_2']}", "heading"))
    blocks.append(Para(t["facts"], "label"))
    blocks.append(_free(request.summary_of_facts, language))
    blocks.append(Para(t["purpose"], "label"))
    blocks.append(_free(request.purpose, language))

    # 3. Offences, with the provisions quoted.
    blocks.append(Para(f"3. {t['sec_3']}", "heading"))
    offences = list(request.offences.all())
    for number, offence in enumerate(offences, start=1):
        blocks.append(Para(f"3.{number} {t['offence']}", "subheading"))
        blocks.append(_free_row(t["offence_description"], offence.description, language))
        blocks.append(_free_row(t["provision"], offence.legal_provision, language))
        blocks.append(_free_row(t["penalty"], offence.penalty, language))
    if not offences:
        blocks.append(Para(t["no_offence"]))

    # 4. Persons: both scripts of the name, as written.
    blocks.append(Para(f"4. {t['sec_4']}", "heading"))
    persons = list(request.persons.all())
    for number, person in enumerate(persons, start=1):
        blocks.append(Para(f"4.{number} {t['role_' + person.role]}", "subheading"))
        blocks.append(_free_row(t["name_arabic"], person.name_arabic, language, flagged=False))
        blocks.append(_free_row(t["name_latin"], person.name_latin, language, flagged=False))
        blocks.append(Row(t["date_of_birth"], format_date(person.date_of_birth, language)))
        blocks.append(
            _free_row(t["place_of_birth"], person.place_of_birth, language, flagged=False)
        )
        blocks.append(Row(t["nationality"], _country(str(person.nationality or ""), language)))
        document = " ".join(p for p in (person.document_type, person.document_number) if p)
        blocks.append(_free_row(t["identity_document"], document, language, flagged=False))
        if person.notes.strip():
            blocks.append(_free_row(t["other_details"], person.notes, language))
    if not persons:
        blocks.append(Para(t["no_person"]))

    # 5. Measures, each with its own fields.
    blocks.append(Para(f"5. {t['sec_5']}", "heading"))
    measures = list(request.measures.all())
    for number, measure in enumerate(measures, start=1):
        blocks.append(
            Para(f"5.{number} {t.get('measure_' + measure.kind, measure.kind)}", "subheading")
        )
        details = measure.details if isinstance(measure.details, dict) else {}
        for spec in MEASURE_FIELDS.get(measure.kind, ()):
            value, written = _measure_value(spec, details.get(spec.name), language)
            if not value and not spec.required:
                continue
            field_label = _measure_field_label(measure.kind, spec, language)
            if written:
                flagged = spec.kind == "long"
                blocks.append(_free_row(field_label, value, language, flagged=flagged))
            else:
                blocks.append(Row(field_label, value))
    if not measures:
        blocks.append(Para(t["no_measure"]))

    # 6. Urgency and time limits.
    blocks.append(Para(f"6. {t['sec_6']}", "heading"))
    blocks.append(Para(t["urgent_yes"] if request.urgent else t["urgent_no"]))
    if request.urgent or request.urgency_reason.strip():
        blocks.append(_free_row(t["urgency_reason"], request.urgency_reason, language))
    blocks.append(
        Row(t["deadline"], format_date(request.deadline, language))
        if request.deadline
        else Para(t["no_deadline"])
    )

    # 7. Conditions and assurances.
    blocks.append(Para(f"7. {t['sec_7']}", "heading"))
    blocks.append(Para(t["dual_criminality"], "label"))
    blocks.append(_free(request.dual_criminality_statement, language))
    blocks.append(Para(t["non_political"], "label"))
    blocks.append(_free(request.non_political_statement, language))
    blocks.append(Para(t["assurances"], "label"))
    given = [
        key
        for key, on in (
            ("assurance_death_penalty", request.assurance_death_penalty),
            ("assurance_speciality", request.assurance_speciality),
            ("assurance_fair_trial", request.assurance_fair_trial),
        )
        if on
    ]
    for key in given:
        blocks.append(Para(t[key]))
    if request.assurances_text.strip():
        blocks.append(_free_row(t["assurances_text"], request.assurances_text, language))
    elif not given:
        blocks.append(Para(t["not_applicable"]))
    if request.transit_countries:
        route = [_country(country.code, language) for country in request.transit_countries]
        blocks.append(Row(t["transit"], t["list_separator"].join(route)))

    # 8. Confidentiality and handling code.
    blocks.append(Para(f"8. {t['sec_8']}", "heading"))
    blocks.append(Para(t["confidential_yes"] if request.confidential else t["confidential_no"]))
    if request.confidentiality_note.strip():
        blocks.append(_free_row(t["confidentiality_note"], request.confidentiality_note, language))
    code = HandlingCode(request.handling_code)
    blocks.append(Row(t["handling_code"], t[f"handling_{code.value}"]))
    if code == HandlingCode.H3 or request.restriction.strip():
        blocks.append(_free_row(t["restriction"], request.restriction, language))
    if code == HandlingCode.H1:
        blocks.append(Para(t["h1_notice"], "notice"))

    # 9. Attachments.
    blocks.append(Para(f"9. {t['sec_9']}", "heading"))
    attachments = list(request.attachments.all())
    for number, attachment in enumerate(attachments, start=1):
        text = attachment.filename
        if attachment.handling_code != HandlingCode.H0:
            text += f" ({attachment.handling_code})"
        if attachment.description.strip():
            text += "\n" + attachment.description.strip()
        blocks.append(_free_row(f"{t['attachment']} {number}", text, language, flagged=False))
    if not attachments:
        blocks.append(Para(t["none"]))

    # Closing and signature block, left blank for the signatory.
    blocks.append(Para(t["closing"], "closing"))
    blocks.append(Para(t["signature_for"], "strong"))
    blocks.append(Para(agency.localized_name(language)))
    for key in ("place_and_date", "signatory", "signature"):
        blocks.append(Row(t[key], "\n"))

    # Annex: the completeness checklist, worded in the document's language.
    with translation.override(language):
        report = checks.evaluate(request)
        items = [
            (
                str(item.label) + ("" if item.essential else f" ({t['recommended']})"),
                t["done"] if item.done else t["missing"],
            )
            for item in report.checklist
        ]
    blocks.append(PageBreak())
    blocks.append(Para(t["annex_title"], "heading"))
    if items:
        blocks.append(Para(t["score"].format(score=report.score), "strong"))
        blocks.append(
            Table(
                headers=(t["number"], t["item"], t["status"]),
                rows=tuple(
                    (str(n), item, status) for n, (item, status) in enumerate(items, start=1)
                ),
                widths=(0.09, 0.69, 0.22),
            )
        )
    else:
        blocks.append(Para(t["no_checklist"]))

    parts = [request.reference, f"v{request.content_version}", str(request.handling_code)]
    # The page number comes first in reading order: on the right in Arabic.
    parts = [t["page_of"], *parts] if language == "ar" else [*parts, t["page_of"]]
    footer = " · ".join(part for part in parts if part)
    return Formal(
        language=language,
        rtl=language == "ar",
        title=title,
        author=agency.localized_name(language),
        footer=footer,
        created=when,
        blocks=blocks,
    )


def render(request: CooperationRequest, *, language: str, fmt: str) -> bytes:
    """The formal request as ``fmt`` ("pdf" or "docx") in ``language`` ("ar", "fr", "en")."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown document format {fmt!r}")
    formal = build(request, language)
    return render_pdf(formal) if fmt == "pdf" else render_docx(formal)


def _strong_ends(text: str) -> bool:
    """Whether ``text`` begins and ends with a letter (no punctuation or digits whose place
    the paragraph's direction would decide)."""
    text = text.strip()
    return bool(text) and all(
        unicodedata.bidirectional(char) in ("L", "R", "AL") for char in (text[0], text[-1])
    )


def text_direction(text: str, default: bool) -> bool:
    """Whether ``text`` reads right to left: the direction of its first strong character,
    ``default`` when it has none."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return default


def is_rtl_text(text: str) -> bool:
    """The direction of text people wrote (numbers and symbols alone read left to right)."""
    return text_direction(text, False)


# ---------------------------------------------------------------- PDF

PT = 25.4 / 72  # mm per point
BODY = 10.5
MARGIN = 20.0
LABEL_SHARE = 0.32
GREY = (90, 90, 90)
FLAG_COLOUR = (150, 30, 30)
MARKER_COLOUR = (180, 0, 0)
SIZES = {
    "body": BODY,
    "strong": BODY,
    "label": BODY,
    "closing": BODY,
    "notice": BODY,
    "small": 9.0,
    "small_center": 9.0,
    "flag": 9.0,
    "letterhead": 12.5,
    "title": 15.0,
    "marker": 13.0,
    "heading": 12.0,
    "subheading": BODY + 0.5,
}
BOLD = {"strong", "label", "letterhead", "title", "marker", "heading", "subheading", "notice"}
COLOURS = {"flag": FLAG_COLOUR, "marker": MARKER_COLOUR, "small": GREY, "small_center": GREY}


@cache
def font_path(style: str = "Regular") -> str:
    return str(files("fontpkg_amiri") / "files" / f"{FONT_FAMILY}-{style}.ttf")


@cache
def _amiri_characters() -> frozenset[int]:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    with TTFont(font_path("Regular"), lazy=True) as font:
        return frozenset(font.getBestCmap())


def _needs_fallback(formal: Formal) -> bool:
    """Whether some character of the document has no glyph in Amiri (controls aside)."""
    texts: list[str] = [formal.footer]
    for block in formal.blocks:
        if isinstance(block, Para):
            texts += [block.text, block.flag]
        elif isinstance(block, Row):
            texts += [block.label, block.value, block.flag]
        elif isinstance(block, Table):
            texts += [*block.headers, *(cell for row in block.rows for cell in row)]
    known = _amiri_characters()
    return any(
        ord(char) not in known and unicodedata.category(char) not in ("Cc", "Cf", "Zs")
        for char in set("".join(texts))
    )


def _line_height(size: float) -> float:
    # Amiri's ascenders and descenders (vowel marks) need about 1.6 times the size.
    return size * PT * 1.6


class _PdfWriter:
    def __init__(self, formal: Formal) -> None:
        from fpdf import FPDF

        self.formal = formal
        self.rtl = formal.rtl
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(True, margin=MARGIN)
        pdf.add_font(FONT_FAMILY, "", font_path("Regular"))
        pdf.add_font(FONT_FAMILY, "B", font_path("Bold"))
        if FALLBACK_FONT.is_file() and _needs_fallback(formal):
            pdf.add_font("Fallback", "", str(FALLBACK_FONT))
            pdf.set_fallback_fonts(["Fallback"], exact_match=False)
        pdf.set_text_shaping(True)
        pdf.set_lang(formal.language)
        pdf.set_title(formal.title)
        pdf.set_author(formal.author)
        pdf.set_creator("Tawasul")
        pdf.set_creation_date(formal.created)
        pdf.set_display_mode("fullwidth")
        pdf.add_page()
        self.pdf = pdf

    # Text in a direction: fpdf2 runs the bidi algorithm with this base direction.
    def _direction(self, rtl: bool) -> None:
        self.pdf.set_text_shaping(True, direction="rtl" if rtl else "ltr")

    def _font(self, style: str) -> float:
        size = SIZES.get(style, BODY)
        self.pdf.set_font(FONT_FAMILY, "B" if style in BOLD else "", size)
        self.pdf.set_text_color(*COLOURS.get(style, (0, 0, 0)))
        return _line_height(size)

    def _height(self, width: float, text: str, style: str, rtl: bool) -> float:
        line = self._font(style)
        self._direction(rtl)
        # Most labels and values fit on one line: measuring them is much cheaper than
        # laying them out (which shapes the text again for every possible break).
        if "\n" not in text and self.pdf.get_string_width(text) <= width - 2 * self.pdf.c_margin:
            return line
        result = self.pdf.multi_cell(width, line, text, dry_run=True, output="HEIGHT")
        return float(cast(float, result))

    def _text(
        self, x: float, width: float, text: str, style: str, rtl: bool, align: str = ""
    ) -> None:
        line = self._font(style)
        self._direction(rtl)
        self.pdf.set_x(x)
        self.pdf.multi_cell(
            width, line, text, align=align or ("R" if rtl else "L"), new_x="LEFT", new_y="NEXT"
        )

    def _room(self, height: float) -> None:
        """A new page unless ``height`` fits in what is left of this one."""
        if self.pdf.get_y() + height > self.pdf.page_break_trigger:
            self.pdf.add_page()

    def para(self, block: Para) -> None:
        pdf = self.pdf
        rtl = is_rtl_text(block.text) if block.own_direction else self.rtl
        width = pdf.epw
        style = block.style
        if style in ("heading", "subheading"):
            pdf.ln(3 if style == "heading" else 1.5)
            # Keep a heading with the first lines that follow it.
            self._room(self._height(width, block.text, style, rtl) + 18)
        elif style == "label":
            pdf.ln(1)
            self._room(self._height(width, block.text, style, rtl) + 12)
        elif style in ("title", "marker"):
            pdf.ln(4 if style == "title" else 0)
        elif style == "notice":
            pdf.ln(3)
        elif style == "closing":
            pdf.ln(3)
            # The closing words stay on the page of the signature block.
            self._room(self._height(width, block.text, style, rtl) + 55)
        # Prose people wrote lines up on its own side; the rest on the document's.
        if style in ("title", "marker", "small_center"):
            align = "C"
        else:
            align = "R" if (rtl if style == "body" else self.rtl) else "L"
        if style == "notice":
            line = self._font(style)
            self._direction(rtl)
            pdf.set_draw_color(150, 30, 30)
            pdf.set_x(pdf.l_margin)
            pdf.multi_cell(
                width,
                line,
                block.text,
                border=1,
                padding=2,
                align=align,
                new_x="LEFT",
                new_y="NEXT",
            )
            pdf.set_draw_color(0, 0, 0)
        else:
            self._text(pdf.l_margin, width, block.text, style, rtl, align)
        if block.flag:
            self._text(pdf.l_margin, width, block.flag, "flag", self.rtl)
        pdf.ln({"heading": 1.5, "title": 1, "letterhead": 0}.get(style, 0.8))

    def row(self, block: Row) -> None:
        pdf = self.pdf
        gap = 4.0
        label_w = pdf.epw * LABEL_SHARE
        value_w = pdf.epw - label_w - gap
        value_rtl = is_rtl_text(block.value) if block.own_direction else self.rtl
        if self.rtl:
            label_x, value_x = pdf.l_margin + pdf.epw - label_w, pdf.l_margin
        else:
            label_x, value_x = pdf.l_margin, pdf.l_margin + label_w + gap
        label_h = self._height(label_w, block.label, "label", self.rtl)
        text_h = self._height(value_w, block.value, "body", value_rtl)
        flag_h = self._height(value_w, block.flag, "flag", self.rtl) if block.flag else 0.0
        # Rows that fit on a page are kept whole; longer ones flow onto the next.
        self._room(min(max(label_h, text_h + flag_h), pdf.h - 2 * MARGIN - 10))
        top, page = pdf.get_y(), pdf.page
        self._text(label_x, label_w, block.label, "label", self.rtl)
        label_end = pdf.get_y()
        pdf.set_xy(value_x, top)
        # One line sits in the column like the others; paragraphs line up on their own side.
        one_line = text_h < 1.5 * _line_height(BODY)
        align = "R" if (self.rtl if one_line else value_rtl) else "L"
        self._text(value_x, value_w, block.value, "body", value_rtl, align)
        if block.flag:
            self._text(value_x, value_w, block.flag, "flag", self.rtl)
        end = pdf.get_y() if pdf.page != page else max(label_end, pdf.get_y())
        pdf.set_xy(pdf.l_margin, end + 1)

    def table(self, block: Table) -> None:
        pdf = self.pdf
        widths = [pdf.epw * share for share in block.widths]
        padding = 1.0

        def draw(cells: tuple[str, ...], style: str) -> None:
            heights = [
                self._height(w - 2 * padding, text, style, text_direction(text, self.rtl))
                for w, text in zip(widths, cells, strict=True)
            ]
            height = max(heights) + 2 * padding
            self._room(height)
            top = pdf.get_y()
            x = pdf.l_margin + pdf.epw if self.rtl else pdf.l_margin
            for w, text in zip(widths, cells, strict=True):
                left = x - w if self.rtl else x
                if style == "label":
                    pdf.set_fill_color(235, 235, 235)
                    pdf.rect(left, top, w, height, style="DF")
                else:
                    pdf.rect(left, top, w, height)
                pdf.set_y(top + padding)
                align = "R" if self.rtl else "L"
                rtl = text_direction(text, self.rtl)
                self._text(left + padding, w - 2 * padding, text, style, rtl, align)
                x = left if self.rtl else x + w
            pdf.set_xy(pdf.l_margin, top + height)

        pdf.set_draw_color(120, 120, 120)
        pdf.set_line_width(0.2)
        draw(block.headers, "label")
        for cells in block.rows:
            draw(cells, "body")
        pdf.set_draw_color(0, 0, 0)
        pdf.ln(2)

    def rule(self) -> None:
        pdf = self.pdf
        pdf.ln(1)
        pdf.set_line_width(0.4)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.ln(3)

    def footers(self) -> None:
        """Page x of y on every page, written once the number of pages is known (fpdf2's
        {nb} alias does not survive text shaping)."""
        pdf = self.pdf
        pdf.set_auto_page_break(False)
        pages = pdf.pages_count
        for number in range(1, pages + 1):
            pdf.page = number
            # The page's content stream ends in whatever font was last used on it.
            pdf.current_font_is_set_on_page = False
            self._font("small")
            self._direction(self.rtl)
            pdf.set_xy(pdf.l_margin, pdf.h - MARGIN + 6)
            pdf.cell(
                pdf.epw,
                _line_height(SIZES["small"]),
                self.formal.footer.format(page=number, pages=pages),
                align="C",
            )
        pdf.page = pages

    def output(self) -> bytes:
        for block in self.formal.blocks:
            if isinstance(block, Para):
                self.para(block)
            elif isinstance(block, Row):
                self.row(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Rule):
                self.rule()
            elif isinstance(block, PageBreak):
                self.pdf.add_page()
        self.footers()
        _silence_extra_glyphs(self.pdf)
        return bytes(self.pdf.output())


class _NoText(int):
    """A ToUnicode destination written as an empty string: "this glyph adds no text"."""

    def __format__(self, spec: str) -> str:
        return ""


def _silence_extra_glyphs(pdf: Any) -> None:
    """Amiri draws a few letter pairs (lam before kaf: الإلكترونية، الكبير) with one more glyph
    than letters. fpdf2 leaves the extra glyph out of the ToUnicode map, so text extraction
    prints its raw code inside the word ("الإ\\x0fلكترونية"); mapping it to an empty string
    keeps copied and extracted words whole."""
    for font in pdf.fonts.values():
        subset = getattr(font, "subset", None)
        if subset is None:
            continue
        for glyph, _code in subset.items():
            if glyph is not None and glyph.unicode == ():
                glyph.unicode = (_NoText(0),)


def render_pdf(formal: Formal) -> bytes:
    return _PdfWriter(formal).output()


# ---------------------------------------------------------------- DOCX

# What may follow <w:bidi/> inside <w:pPr>, in the order the schema requires.
_PPR_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
WORD_LANGUAGE = {"ar": "ar-SA", "fr": "fr-FR", "en": "en-GB"}
TEXT_WIDTH_CM = 17.0
# Longer values (or several lines) are paragraphs, laid out in their own direction.
SHORT_VALUE = 60
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")


class _DocxWriter:
    def __init__(self, formal: Formal) -> None:
        from docx import Document
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.shared import Cm

        self.formal = formal
        self.rtl = formal.rtl
        self._rows_table: Any = None
        document: Any = Document()
        # The template's preview picture shows another document.
        package_rels = document.part.package.rels
        for key, rel in list(package_rels.items()):
            if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
                del package_rels[key]
        section = document.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2))
        self.document = document
        self._styles()
        if self.rtl:
            from docx.oxml import OxmlElement

            # Schema order matters (Word and LibreOffice ignore misplaced elements).
            section._sectPr.insert_element_before(
                OxmlElement("w:bidi"),
                "w:rtlGutter",
                "w:docGrid",
                "w:printerSettings",
                "w:sectPrChange",
            )
        self._footer()

    def _styles(self) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt, RGBColor

        defaults = self.document.styles.element.find(qn("w:docDefaults"))
        default_rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for rpr in (
            default_rpr,
            *(
                self.document.styles[name].element.get_or_add_rPr()
                for name in ("Normal", "Heading 1", "Heading 2")
            ),
        ):
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                rpr.insert(0, fonts)
            # Theme fonts (asciiTheme, cstheme...) would override the named ones.
            for attr in list(fonts.attrib):
                if attr.lower().endswith("theme"):
                    del fonts.attrib[attr]
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(attr), FONT_FAMILY)
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:val"), WORD_LANGUAGE[self.formal.language])
            if self.rtl:
                lang.set(qn("w:bidi"), "ar-SA")
            elif lang.get(qn("w:bidi")) is not None:
                del lang.attrib[qn("w:bidi")]
        for name, size in (
            ("Normal", BODY),
            ("Heading 1", SIZES["heading"]),
            ("Heading 2", SIZES["subheading"]),
        ):
            style: Any = self.document.styles[name]
            style.font.size = Pt(size)
            self._cs_size(style.element.get_or_add_rPr(), size)
            if name == "Normal":
                style.paragraph_format.space_after = Pt(3)
                continue
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.bold = True
            self._cs_bold(style.element.get_or_add_rPr())
            style.paragraph_format.space_before = Pt(10 if name == "Heading 1" else 6)
            style.paragraph_format.space_after = Pt(4)

    @staticmethod
    def _cs_size(rpr: Any, size: float) -> None:
        """Complex-script (Arabic) text has its own size property."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        element = rpr.find(qn("w:szCs"))
        if element is None:
            element = OxmlElement("w:szCs")
            sz = rpr.find(qn("w:sz"))
            if sz is not None:
                sz.addnext(element)
            else:
                rpr.append(element)
        element.set(qn("w:val"), str(round(size * 2)))

    @staticmethod
    def _cs_bold(rpr: Any) -> None:
        """Complex-script text is bold through w:bCs, not w:b."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if rpr.find(qn("w:bCs")) is None:
            element = OxmlElement("w:bCs")
            b = rpr.find(qn("w:b"))
            if b is not None:
                b.addnext(element)
            else:
                rpr.insert(0, element)

    @staticmethod
    def _direct(paragraph: Any, rtl: bool) -> Any:
        """A right-to-left paragraph (its start is the right edge), and right-to-left runs
        where there is Arabic script: a run marked w:rtl with only Latin letters and digits
        would have its numbers and punctuation reordered."""
        from docx.oxml import OxmlElement

        if rtl:
            paragraph._p.get_or_add_pPr().insert_element_before(
                OxmlElement("w:bidi"), *_PPR_AFTER_BIDI
            )
        for run in paragraph.runs:
            if ARABIC_SCRIPT.search(run.text):
                run.font.rtl = True
        return paragraph

    def _run(self, paragraph: Any, text: str, style: str) -> Any:
        from docx.shared import Pt, RGBColor

        run = paragraph.add_run(text)
        size = SIZES.get(style, BODY)
        if size != BODY:
            run.font.size = Pt(size)
            self._cs_size(run._r.get_or_add_rPr(), size)
        if style in BOLD:
            run.bold = True
            self._cs_bold(run._r.get_or_add_rPr())
        if style == "flag":
            run.italic = True
            run.font.color.rgb = RGBColor(*FLAG_COLOUR)
        elif style == "marker":
            run.font.color.rgb = RGBColor(*MARKER_COLOUR)
        elif style.startswith("small"):
            run.font.color.rgb = RGBColor(*GREY)
        return run

    def _paragraph(
        self,
        container: Any,
        text: str,
        style: str,
        rtl: bool,
        *,
        flag: str = "",
        document_side: bool = False,
    ) -> Any:
        """``document_side``: a left-to-right text in an Arabic document lines up on the
        right like the text around it."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        paragraph = container.add_paragraph()
        lines = text.split("\n")
        for index, line in enumerate(lines):
            if rtl and index and not text_direction(line, True):  # a Latin line
                # A line break is no paragraph end for the bidi algorithm: after an Arabic
                # line, "28015 Madrid" would show as "Madrid 28015". Embedded, it keeps its
                # order (as the PDF shows it, each line in its own direction).
                line = f"\u202a{line}\u202c"
            run = self._run(paragraph, line, style)
            if index < len(lines) - 1:
                run.add_break()
        if flag:
            paragraph.add_run().add_break()
            self._run(paragraph, flag, "flag")
        if style in ("title", "marker", "small_center"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif document_side and self.rtl and not rtl:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return self._direct(paragraph, rtl)

    def para(self, block: Para) -> None:
        from docx.shared import Pt

        rtl = is_rtl_text(block.text) if block.own_direction else self.rtl
        if block.style in ("heading", "subheading"):
            level = 1 if block.style == "heading" else 2
            heading = self.document.add_heading(level=level)
            self._run(heading, block.text, block.style)
            self._direct(heading, rtl)
            return
        paragraph = self._paragraph(
            self.document,
            block.text,
            block.style,
            rtl,
            flag=block.flag,
            document_side=block.style != "body",
        )
        fmt = paragraph.paragraph_format
        if block.style == "title":
            fmt.space_before, fmt.space_after = Pt(14), Pt(4)
        elif block.style == "label":
            fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(6), Pt(2), True
        elif block.style in ("closing", "notice"):
            fmt.space_before = Pt(10)
            fmt.keep_with_next = block.style == "closing"
        elif block.style in ("letterhead", "small"):
            fmt.space_after = Pt(0)
        if block.style == "notice":
            self._border(paragraph)

    @staticmethod
    def _border(paragraph: Any) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        borders = OxmlElement("w:pBdr")
        for side in ("top", "left", "bottom", "right"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), "6")
            edge.set(qn("w:space"), "4")
            edge.set(qn("w:color"), "962020")
            borders.append(edge)
        # pBdr comes before the direction, spacing and alignment in <w:pPr>.
        paragraph._p.get_or_add_pPr().insert_element_before(
            borders,
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            *_PPR_AFTER_BIDI,
        )

    def _table(self, widths: list[float], *, grid: bool) -> Any:
        from docx.enum.table import WD_TABLE_DIRECTION
        from docx.shared import Cm

        table = self.document.add_table(rows=0, cols=len(widths))
        if grid:
            table.style = "Table Grid"
        table.autofit = False
        if self.rtl:
            table.table_direction = WD_TABLE_DIRECTION.RTL
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        return table

    def _cell(
        self,
        cell: Any,
        width: float,
        text: str,
        style: str,
        rtl: bool,
        *,
        flag: str = "",
        document_side: bool = True,
    ) -> None:
        from docx.shared import Cm, Pt

        cell.width = Cm(width)
        # A new cell holds one empty paragraph: write into it rather than after it.
        first = cell.paragraphs[0]
        paragraph = self._paragraph(cell, text, style, rtl, flag=flag, document_side=document_side)
        first._p.getparent().remove(first._p)
        paragraph.paragraph_format.space_after = Pt(2)

    def row(self, block: Row) -> None:
        widths = [TEXT_WIDTH_CM * LABEL_SHARE, TEXT_WIDTH_CM * (1 - LABEL_SHARE)]
        table = self._rows_table_for(widths)
        cells = table.add_row().cells
        value_rtl = is_rtl_text(block.value) if block.own_direction else self.rtl
        # As in the PDF: a short value lines up with the column, a paragraph on its own side.
        short = "\n" not in block.value and len(block.value) <= SHORT_VALUE
        if short and value_rtl and not self.rtl and _strong_ends(block.value):
            # An Arabic name in a left-to-right document: its run is right-to-left, the
            # paragraph stays left-to-right (Word reorders the run; nothing neutral to move).
            value_rtl = False
        self._cell(cells[0], widths[0], block.label, "label", self.rtl)
        self._cell(
            cells[1],
            widths[1],
            block.value,
            "body",
            value_rtl,
            flag=block.flag,
            document_side=short,
        )

    def _rows_table_for(self, widths: list[float]) -> Any:
        """Consecutive rows share one borderless two-column table."""
        body = self.document.element.body
        last = body[-2] if len(body) > 1 else None  # body[-1] is the section properties
        if self._rows_table is None or last is not self._rows_table._tbl:
            self._rows_table = self._table(widths, grid=False)
        return self._rows_table

    def table(self, block: Table) -> None:
        widths = [TEXT_WIDTH_CM * share for share in block.widths]
        table = self._table(widths, grid=True)
        header = table.add_row().cells
        for cell, width, text in zip(header, widths, block.headers, strict=True):
            self._cell(cell, width, text, "label", self.rtl)
        for row in block.rows:
            cells = table.add_row().cells
            # Checklist items may quote what people wrote (an offence, a name).
            for cell, width, text in zip(cells, widths, row, strict=True):
                self._cell(cell, width, text, "body", text_direction(text, self.rtl))
        self.document.add_paragraph()

    def rule(self) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = self.document.add_paragraph()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        bottom.set(qn("w:val"), "single")
        bottom.set(qn("w:sz"), "8")
        bottom.set(qn("w:space"), "1")
        bottom.set(qn("w:color"), "000000")
        borders.append(bottom)
        paragraph._p.get_or_add_pPr().append(borders)
        self._direct(paragraph, self.rtl)

    def _footer(self) -> None:
        """Reference, version, handling code and page x of y, as Word fields."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = self.document.sections[0].footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        before, rest = self.formal.footer.split("{page}", 1)
        middle, after = rest.split("{pages}", 1)
        for piece in (before, "PAGE", middle, "NUMPAGES", after):
            if piece in ("PAGE", "NUMPAGES"):
                simple = OxmlElement("w:fldSimple")
                simple.set(qn("w:instr"), f" {piece} ")
                paragraph._p.append(simple)
                run = OxmlElement("w:r")
                text = OxmlElement("w:t")
                text.text = "1"
                run.append(text)
                simple.append(run)
            elif piece:
                self._run(paragraph, piece, "small")
        self._direct(paragraph, self.rtl)

    def output(self) -> bytes:
        for block in self.formal.blocks:
            if isinstance(block, Para):
                self.para(block)
            elif isinstance(block, Row):
                self.row(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Rule):
                self.rule()
            elif isinstance(block, PageBreak):
                self.document.add_page_break()
        props = self.document.core_properties
        props.title = self.formal.title
        props.author = self.formal.author
        props.comments = ""
        props.last_modified_by = "Tawasul"
        props.language = WORD_LANGUAGE[self.formal.language]
        created = self.formal.created.replace(tzinfo=None, microsecond=0)
        props.created = props.modified = created
        props.revision = 1
        buffer = io.BytesIO()
        self.document.save(buffer)
        return _stable_zip(buffer.getvalue(), created)


def _stable_zip(data: bytes, when: datetime.datetime) -> bytes:
    """The same archive with fixed entry dates (python-docx stamps them with the clock)."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def render_docx(formal: Formal) -> bytes:
    return _DocxWriter(formal).output()
