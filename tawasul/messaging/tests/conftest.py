from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Each test stores its encrypted attachments in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def fp_dz(make_user):
    from tawasul.core.roles import Role

    return make_user(username="fp.dz", country="DZ", roles=[Role.FOCAL_POINT])


@pytest.fixture
def bo_ma(make_user):
    from tawasul.core.roles import Role

    return make_user(username="bo.ma", country="MA", roles=[Role.BORDER_OFFICER])
