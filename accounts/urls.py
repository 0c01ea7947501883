from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite_person, name="invite"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/roles/grant/", views.person_grant_role, name="person_grant_role"),
    path("people/<int:pk>/roles/<str:role>/remove/", views.person_remove_role, name="person_remove_role"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
