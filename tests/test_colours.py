"""Actor colours: bars stand out from the page in light and dark scheme, labels on them read."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import write_tiny_quiz

from quiz.app import REPO_ROOT
from quiz.cli import main
from quiz.colours import contrast, distinct_colour, page_backgrounds, text_colour
from quiz.loading import ContentError, load_content


def test_the_stylesheets_backgrounds_are_read_for_each_scheme():
    assert page_backgrounds() == {"light": "#fff", "dark": "#121212"}


def test_contrast_is_wcags():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the textbook grey that just fails


@pytest.mark.parametrize("colour, scheme", [("#ffdd00", "light"), ("#1a1a5e", "dark"), ("#eeeeee", "light")])
def test_a_colour_that_does_not_stand_out_from_a_background_is_refused(tmp_path, colour, scheme):
    root = write_tiny_quiz(tmp_path / "quiz")
    alpha = root / "stances" / "alpha.toml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace('colour = "#2467aa"', f'colour = "{colour}"'),
                     encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_content(root)
    background = page_backgrounds()[scheme]
    expected = (f"stances/alpha.toml: alpha: colour {colour} has a contrast of {contrast(colour, background):.2f}:1 "
                f"with the {scheme} page background {background}; bars need 3:1")
    assert expected in str(error.value)
    result = CliRunner().invoke(main, ["validate", "--data", str(root)])
    assert result.exit_code != 0 and f"colour {colour} has a contrast" in result.output


@pytest.mark.parametrize("colour", ["#ffdd00", "#000000", "#ffffff", "#777777", "#3a7d44", "#c9001e", "#5a5aff"])
def test_the_text_on_a_colour_reads(colour):
    assert contrast(text_colour(colour), colour) >= 4.5


def test_the_bundled_actors_colours_pass_and_their_label_colour_is_served(client):
    content = load_content(REPO_ROOT)
    actors = client.get("/api/v1/quiz").get_json()["actors"]
    for actor, served in zip(content.actors, actors, strict=True):
        for background in page_backgrounds().values():
            assert contrast(actor.colour, background) >= 3
        assert served["text_colour"] == actor.text_colour and contrast(actor.text_colour, actor.colour) >= 4.5


@pytest.mark.parametrize("count", [2, 6, 38, 60])
def test_imported_parties_get_colours_that_pass_on_every_background(count):
    for index in range(count):
        colour = distinct_colour(index, count)
        assert all(contrast(colour, background) >= 3 for background in page_backgrounds().values()), colour
