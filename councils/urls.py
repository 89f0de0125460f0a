from django.urls import path

from . import privacy_views, views

app_name = "councils"

urlpatterns = [
    path("", views.CouncilDetailView.as_view(), name="council_detail"),
    path("profile/", views.CouncilEditView.as_view(), name="council_edit"),
    path("logo/", views.CouncilLogoView.as_view(), name="council_logo"),
    path("terms/new/", views.TermCreateView.as_view(), name="term_create"),
    path("terms/<int:pk>/edit/", views.TermEditView.as_view(), name="term_edit"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path(
        "organisations/<int:pk>/edit/",
        views.OrganisationEditView.as_view(),
        name="organisation_edit",
    ),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("memberships/", views.MembershipListView.as_view(), name="membership_list"),
    path("memberships/new/", views.MembershipCreateView.as_view(), name="membership_create"),
    path(
        "memberships/<int:pk>/edit/",
        views.MembershipEditView.as_view(),
        name="membership_edit",
    ),
    path(
        "memberships/<int:pk>/end/",
        views.MembershipEndView.as_view(),
        name="membership_end",
    ),
]

urlpatterns += [
    path("indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path(
        "indicators/values/",
        views.IndicatorValuesEditView.as_view(),
        name="indicator_values_edit",
    ),
    path("indicators/import/", views.IndicatorImportView.as_view(), name="indicator_import"),
    path(
        "indicators/import/template.csv",
        views.IndicatorImportTemplateView.as_view(),
        name="indicator_import_template",
    ),
    path("indicators/new/", views.IndicatorCreateView.as_view(), name="indicator_create"),
    path("indicators/<int:pk>/edit/", views.IndicatorEditView.as_view(), name="indicator_edit"),
    path(
        "indicators/<int:pk>/delete/",
        views.IndicatorDeleteView.as_view(),
        name="indicator_delete",
    ),
]

urlpatterns += [
    path("audit/", privacy_views.CouncilAuditView.as_view(), name="audit_list"),
    path(
        "people/<int:pk>/export/",
        privacy_views.PersonExportView.as_view(),
        name="person_export",
    ),
    path(
        "people/<int:pk>/erase/",
        privacy_views.PersonEraseView.as_view(),
        name="person_erase",
    ),
]
