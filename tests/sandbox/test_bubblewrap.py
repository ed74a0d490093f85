"""The bwrap command line, checked without running it."""

from curiosa.sandbox.bubblewrap import SANDBOX_DIR, bwrap_command

ENV = {"PATH": "/usr/bin:/bin", "HOME": SANDBOX_DIR}


def _command(as_root: bool, roots=("/opt/pythons/3.11",), hidden=()):
    return bwrap_command("/usr/bin/bwrap", scratch="/tmp/scratch-x", readonly_roots=roots, hidden_dirs=hidden,
                         env=ENV, as_root=as_root)


def _pairs(cmd, option):
    return [cmd[i + 1] for i, arg in enumerate(cmd) if arg == option]


def test_root_keeps_a_real_uid_switch_possible_and_only_the_caps_for_it():
    cmd = _command(as_root=True)
    assert "--unshare-all" not in cmd  # a user namespace would make the uid drop map back to root
    for option in ("--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts"):
        assert option in cmd
    assert _pairs(cmd, "--cap-drop") == ["ALL"]
    assert sorted(_pairs(cmd, "--cap-add")) == ["CAP_SETGID", "CAP_SETUID"]


def test_normal_user_gets_every_namespace():
    cmd = _command(as_root=False)
    assert "--unshare-all" in cmd and "--cap-add" not in cmd


def test_common_safety_options_are_always_there():
    for as_root in (True, False):
        cmd = _command(as_root)
        for option in ("--die-with-parent", "--new-session", "--clearenv"):
            assert option in cmd
        assert cmd[-1] == "--"
        assert ["--bind", "/tmp/scratch-x", SANDBOX_DIR] == cmd[cmd.index("--bind"):cmd.index("--bind") + 3]
        assert _pairs(cmd, "--bind") == ["/tmp/scratch-x"]  # the only writable bind
        assert set(_pairs(cmd, "--remount-ro")) >= {"/", "/dev"}


def test_interpreter_prefix_is_read_only_with_traversable_parents():
    cmd = _command(as_root=True, roots=("/opt/pythons/3.11",))
    assert "/opt/pythons/3.11" in _pairs(cmd, "--ro-bind")
    text = " ".join(cmd)
    assert "--perms 0755 --dir /opt --perms 0755 --dir /opt/pythons --ro-bind /opt/pythons/3.11" in text


def test_roots_under_usr_are_not_bound_twice():
    cmd = _command(as_root=True, roots=("/usr",))
    assert _pairs(cmd, "--ro-bind").count("/usr") == 1


def test_site_packages_are_hidden_under_an_empty_read_only_tmpfs(tmp_path):
    prefix = tmp_path / "python"
    site = prefix / "lib" / "site-packages"
    site.mkdir(parents=True)
    cmd = _command(as_root=True, roots=(str(prefix),), hidden=(str(site), str(tmp_path / "missing")))
    assert _pairs(cmd, "--tmpfs") == [str(site)]
    assert str(site) in _pairs(cmd, "--remount-ro")


def test_environment_is_only_what_was_given():
    cmd = _command(as_root=False)
    assert _pairs(cmd, "--setenv") == list(ENV)
    assert not any(arg.startswith("/home") or arg.startswith("/root") for arg in cmd)
