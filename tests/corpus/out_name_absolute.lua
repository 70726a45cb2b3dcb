-- expect: exit 2
-- message: name
-- args: run --quiet
-- absent: /tmp/mtcsim-corpus-absolute-name.h5
-- known-failing: files/output paths (an absolute scenario name puts the default results file anywhere)
return {
  name = "/tmp/mtcsim-corpus-absolute-name",
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
