-- expect: exit 0
-- (the default results file takes a safe name: tmp_mtcsim-corpus-absolute-name.h5 here))
-- args: run --quiet
-- absent: /tmp/mtcsim-corpus-absolute-name.h5
return {
  name = "/tmp/mtcsim-corpus-absolute-name",
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
