import json

import pytest

from curiosa.rollout.store import CorruptFileError, TrajectoryStore, load_trajectories, to_dataset
from curiosa.rollout.trajectory import Trajectory


def traj(i: int) -> Trajectory:
    return Trajectory(
        id=f"wordle-test-00000#{i}", task_id="wordle-test-00000", group="wordle", split="test", sample_index=i,
        messages=[{"role": "user", "content": "go"}, {"role": "assistant", "content": "Answer: crane"}],
        success=i % 2 == 0, num_turns=1, score=1.0, invalid_actions=0, stop_reason="success",
        policy={"model": "m"}, seed=i, input_ids=[1, 2, 3], agent_mask=[0, 1, 1],
    )


def test_append_reload_and_resume(tmp_path):
    path = tmp_path / "t.jsonl"
    with TrajectoryStore(path) as store:
        store.extend([traj(0), traj(1)])
        with pytest.raises(ValueError, match="already in"):
            store.append(traj(1))
    with TrajectoryStore(path) as store:
        assert store.done == {traj(0).id, traj(1).id}
        store.append(traj(2))
    assert [t.id for t in load_trajectories(path)] == [traj(i).id for i in range(3)]
    assert load_trajectories(path)[2] == traj(2)
    ds = to_dataset(path)
    assert ds.num_rows == 3 and ds[1]["messages"][1]["content"] == "Answer: crane"


def test_torn_last_line_is_dropped_on_resume(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(traj(0).to_json() + "\n" + traj(1).to_json()[:40])
    with pytest.raises(CorruptFileError, match=r"t.jsonl:2: incomplete last line"):
        load_trajectories(path)
    with pytest.warns(UserWarning, match="dropping an incomplete last line"):
        store = TrajectoryStore(path)
    assert store.done == {traj(0).id}
    store.append(traj(1))
    store.close()
    assert len(load_trajectories(path)) == 2


def test_corruption_is_reported_with_file_and_line(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(traj(0).to_json() + "\n{not json\n" + traj(1).to_json() + "\n")
    with pytest.raises(CorruptFileError, match=r"t.jsonl:2: not valid JSON"):
        TrajectoryStore(path)
    path.write_text(traj(0).to_json() + "\n" + json.dumps({"id": "x", "colour": 1}) + "\n")
    with pytest.raises(CorruptFileError, match=r"t.jsonl:2: unknown trajectory field"):
        load_trajectories(path)
    path.write_text(traj(0).to_json() + "\n" + traj(0).to_json() + "\n")
    with pytest.raises(CorruptFileError, match=r"t.jsonl:2: duplicate trajectory id"):
        TrajectoryStore(path)


def test_two_writers_are_refused(tmp_path):
    path = tmp_path / "t.jsonl"
    with TrajectoryStore(path):
        with pytest.raises(RuntimeError, match="another process"):
            TrajectoryStore(path)
