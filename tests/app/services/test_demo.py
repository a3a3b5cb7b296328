"""The demo's due dates follow the day it is seeded; the assignment files keep theirs."""

import datetime as dt
import importlib

import pytest

from app.services import assignments, courses
from app.services.demo import DEMO_COURSE, seed_demo
from graders.catalogue import Catalogue


@pytest.fixture
def repository_files(app_context, monkeypatch):
    """The app's catalogue on the repository's assignments/ (the test app uses test files)."""
    folder = importlib.import_module("assignments").ASSIGNMENTS_DIR
    monkeypatch.setitem(app_context.extensions, assignments.CATALOGUE, Catalogue(folder))
    return app_context


def due(name: str) -> dt.datetime:
    return assignments.get_assignment(DEMO_COURSE, name).due


def test_demo_due_dates_are_a_week_and_two_from_the_seeding_day(repository_files):
    lines = seed_demo(today=dt.date(2031, 3, 10))
    assert due("hw1") == dt.datetime(2031, 3, 17, 23, 59, tzinfo=dt.UTC)
    assert due("hw2") == dt.datetime(2031, 3, 24, 23, 59, tzinfo=dt.UTC)
    assert "DEMO/hw1: created, due 2031-03-17 23:59 UTC" in lines

    assert seed_demo(today=dt.date(2031, 3, 10)) == [line.replace("created", "unchanged") for line in lines]
    seed_demo(today=dt.date(2031, 4, 1))  # a demo started weeks later is not all late
    assert due("hw1") == dt.datetime(2031, 4, 8, 23, 59, tzinfo=dt.UTC)


def test_a_real_course_keeps_the_files_dates(repository_files):
    seed_demo(today=dt.date(2031, 3, 10))
    course = courses.get_or_create_course("CS101")
    assignments.sync(course, ["hw1"])
    spec = assignments.load_spec("CS101", "hw1").spec
    assert assignments.get_assignment("CS101", "hw1").due == spec.due != due("hw1")
