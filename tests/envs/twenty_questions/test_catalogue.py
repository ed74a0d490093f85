"""twenty_questions catalogue: its size, completeness and a few facts."""

from curiosa.envs.twenty_questions.catalogue import catalogue, catalogue_stats


def test_catalogue_is_large_and_complete():
    stats = catalogue_stats()
    assert stats["entities"] >= 400 and stats["categories"] >= 15 and stats["min_attributes_per_entity"] >= 40
    for cat in catalogue().categories.values():
        assert len(cat.entities) >= 20
        vectors = set()
        for ent in cat.entities:
            assert set(ent.values) == set(cat.attributes) and all(isinstance(v, bool) for v in ent.values.values())
            vectors.add(tuple(ent.values[a] for a in cat.attributes))
        assert len(vectors) == len(cat.entities), f"{cat.id}: two entities share every answer"
        for attr in cat.attributes:
            assert cat.questions[attr] and all(q.isascii() for q in cat.questions[attr])


def test_some_facts_of_the_catalogue():
    cats = catalogue().categories
    giraffe = cats["animals"].entity("giraffe")
    assert giraffe.values["mammal"] and giraffe.values["long_neck"] and giraffe.values["africa"]
    assert not giraffe.values["carnivore"] and not giraffe.values["fly"]
    penguin = cats["animals"].entity("penguin")
    assert penguin.values["bird"] and not penguin.values["fly"] and penguin.values["swim"]
    assert cats["fruits_vegetables"].entity("tomato").values["native_americas"]
    assert cats["landmarks"].entity("eiffel_tower").values["city_paris"]
    assert not cats["landmarks"].entity("mount_everest").values["man_made"]
    assert cats["body_parts"].entity("heart").values["pumps_blood"]
    for cat_id, attr, value in [("animals", "alive", True), ("fruits_vegetables", "edible", True),
                                ("household", "man_made", True), ("weather", "man_made", False),
                                ("electronics", "electric", True), ("foods", "edible", True)]:
        assert all(e.values[attr] is value for e in cats[cat_id].entities), (cat_id, attr)
