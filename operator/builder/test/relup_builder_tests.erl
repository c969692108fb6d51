%% EUnit tests for relup_builder, against the ticker sample releases that
%% samples/ticker/build-all unpacks (test/run builds them first).
-module(relup_builder_tests).

-include_lib("eunit/include/eunit.hrl").

-define(BB, brutal_purge).

unpacked(Vsn) ->
    Cache = case os:getenv("RELUP_CACHE") of
                false -> filename:join(os:getenv("HOME"), ".cache/relup-operator");
                Dir -> Dir
            end,
    filename:join([Cache, "ticker", "unpacked", Vsn]).

ebin(Vsn) ->
    filename:join([unpacked(Vsn), "lib", "ticker-" ++ Vsn, "ebin"]).

fixture() ->
    Here = filename:dirname(code:which(?MODULE)),
    File = filename:join([os:getenv("TICKER_DIR", Here), "appups", "ticker-0.1.0-0.2.0.appup"]),
    {ok, [Appup]} = file:consult(File),
    {File, Appup}.

tmp_dir() ->
    Dir = string:trim(os:cmd("mktemp -d /tmp/relup_builder_tests.XXXXXX")),
    true = filelib:is_dir(Dir),
    Dir.

%% Instructions per direction, order aside (the selftest checks the orderings that matter).
same_instructions({V, [{F, Up1}], [{F, Dn1}]}, {V, [{F, Up2}], [{F, Dn2}]}) ->
    {lists:sort(Up1), lists:sort(Dn1)} =:= {lists:sort(Up2), lists:sort(Dn2)}.

generated_matches_hand_written_test() ->
    {_, Fixture} = fixture(),
    {ok, Generated, []} = relup_builder:generate_appup(ticker, "0.1.0", ebin("0.1.0"),
                                                       "0.2.0", ebin("0.2.0")),
    ?assert(same_instructions(Fixture, Generated)).

dependencies_first_test() ->
    {ok, {_, [{_, Up}], _}, []} = relup_builder:generate_appup(ticker, "0.1.0", ebin("0.1.0"),
                                                               "0.2.0", ebin("0.2.0")),
    ?assertMatch([{add_module, ticker_stats}, {update, ticker_sup, supervisor} | _], Up),
    ?assertEqual({apply, {supervisor, restart_child, [ticker_sup, ticker_stats]}}, lists:last(Up)).

no_child_changes_test() ->
    {ok, Appup, []} = relup_builder:generate_appup(ticker, "0.2.0", ebin("0.2.0"),
                                                   "0.3.0", ebin("0.3.0")),
    ?assertEqual({"0.3.0",
                  [{"0.2.0", [{load_module, ticker_app, ?BB, ?BB, []},
                              {update, ticker_server, {advanced, []}, ?BB, ?BB, []}]}],
                  [{"0.2.0", [{update, ticker_server, {advanced, []}, ?BB, ?BB, []},
                              {load_module, ticker_app, ?BB, ?BB, [ticker_server]}]}]},
                 Appup).

unreadable_beam_test() ->
    Dir = tmp_dir(),
    [{ok, _} = file:copy(filename:join(ebin("0.2.0"), F), filename:join(Dir, F))
     || F <- filelib:wildcard("*", ebin("0.2.0"))],
    ok = file:write_file(filename:join(Dir, "ticker_server.beam"), <<"FOR1 garbage">>),
    ?assertMatch({error, relup_builder, {unreadable_beam, _, _}},
                 relup_builder:generate_appup(ticker, "0.1.0", ebin("0.1.0"), "0.2.0", Dir)),
    os:cmd("rm -rf " ++ Dir).

bad_input_test_() ->
    Out = "/tmp/relup_builder_tests.out",
    Run = fun(From, To) -> relup_builder:run(["--from", From, "--to", To, "--out", Out]) end,
    [?_assertMatch({error, relup_builder, {no_such_dir, "/nonexistent"}},
                   Run("/nonexistent", unpacked("0.2.0"))),
     ?_assertMatch({error, relup_builder, {not_a_release_root, _, _}},
                   Run(filename:dirname(unpacked("0.1.0")), unpacked("0.2.0"))),
     ?_assertMatch({error, relup_builder, {same_version, "0.2.0"}},
                   Run(unpacked("0.2.0"), unpacked("0.2.0"))),
     ?_assertMatch({error, relup_builder, {missing_option, "--out"}},
                   relup_builder:run(["--from", "a", "--to", "b"])),
     ?_assertMatch({error, relup_builder, {bad_purge, "x=hard"}},
                   relup_builder:run(["--purge-module", "x=hard"]))].

different_releases_test() ->
    Root = tmp_dir(),
    Rel = filename:join([Root, "releases", "0.2.0", "other.rel"]),
    ok = filelib:ensure_dir(Rel),
    ok = file:make_dir(filename:join(Root, "lib")),
    ok = file:write_file(filename:join([Root, "releases", "start_erl.data"]), "13.1.5 0.2.0\n"),
    ok = file:write_file(Rel, "{release, {\"other\", \"0.2.0\"}, {erts, \"13.1.5\"}, []}.\n"),
    ?assertEqual({error, relup_builder, {different_releases, "ticker", "other"}},
                 relup_builder:run(["--from", unpacked("0.1.0"), "--to", Root, "--out", Root])),
    os:cmd("rm -rf " ++ Root).

package_appup(Package) ->
    package_appup(Package, "0.2.0").

package_appup(Package, Vsn) ->
    package_term(Package, "lib/ticker-" ++ Vsn ++ "/ebin/ticker.appup").

package_relup(Package, Vsn) ->
    package_term(Package, "releases/" ++ Vsn ++ "/relup").

package_term(Package, Name) ->
    {ok, [{Name, Bin}]} = erl_tar:extract(Package, [memory, compressed, {files, [Name]}]),
    {ok, [Term]} = consult_binary(Bin),
    Term.

purge_options_test() ->
    Out = tmp_dir(),
    {ok, #{package := Package, hot := true}} =
        relup_builder:run(["--from", unpacked("0.1.0"), "--to", unpacked("0.2.0"), "--out", Out,
                           "--purge", "soft", "--purge-module", "ticker_sup=brutal/soft"]),
    {_, [{_, Up}], _} = package_appup(Package),
    ?assert(lists:member({update, ticker_server, {advanced, []}, soft_purge, soft_purge,
                          [ticker_stats]}, Up)),
    ?assert(lists:member({update, ticker_sup, static, default, {advanced, []}, brutal_purge,
                          soft_purge, []}, Up)),
    os:cmd("rm -rf " ++ Out).

%% Soft is the default (the API's spec.purge.mode default): no purge option, no brutal_purge.
soft_purge_by_default_test() ->
    Out = tmp_dir(),
    {ok, #{package := Package}} =
        relup_builder:run(["--from", unpacked("0.1.0"), "--to", unpacked("0.2.0"), "--out", Out]),
    {_, [{_, Up}], [{_, Down}]} = package_appup(Package),
    ?assert(lists:member({load_module, ticker_app, soft_purge, soft_purge, [ticker_server, ticker_sup]}, Up)),
    ?assert(lists:member({update, ticker_server, {advanced, []}, soft_purge, soft_purge,
                          [ticker_stats]}, Up)),
    ?assertEqual([], [I || I <- Up ++ Down, lists:member(brutal_purge, tuple_to_list(I))]),
    os:cmd("rm -rf " ++ Out).

%% spec.purge.modules {ticker_app: brutal} under the soft default: that module only.
brutal_for_one_module_test() ->
    Out = tmp_dir(),
    {ok, #{package := Package}} =
        relup_builder:run(["--from", unpacked("0.1.0"), "--to", unpacked("0.2.0"), "--out", Out,
                           "--purge-module", "ticker_app=brutal"]),
    {_, [{_, Up}], _} = package_appup(Package),
    ?assert(lists:member({load_module, ticker_app, ?BB, ?BB, [ticker_server, ticker_sup]}, Up)),
    ?assert(lists:member({update, ticker_server, {advanced, []}, soft_purge, soft_purge,
                          [ticker_stats]}, Up)),
    os:cmd("rm -rf " ++ Out).

%% A to-release that ships an appup for the from-version is used as it is.
shipped_appup_test() ->
    Tmp = tmp_dir(),
    To = filename:join(Tmp, "to"),
    "" = os:cmd("cp -a " ++ unpacked("0.2.0") ++ " " ++ To),
    {FixtureFile, Fixture} = fixture(),
    {ok, _} = file:copy(FixtureFile, filename:join([To, "lib", "ticker-0.2.0", "ebin", "ticker.appup"])),
    {ok, #{package := Package, hot := true, changed_modules := Changed}} =
        relup_builder:run(["--from", unpacked("0.1.0"), "--to", To, "--out", Tmp]),
    ?assertEqual(Fixture, package_appup(Package)),
    ?assertEqual(["ticker_app", "ticker_server", "ticker_stats", "ticker_sup"], Changed),
    ?assertMatch({"0.2.0", [{"0.1.0", _, _}], [{"0.1.0", _, _}]}, package_relup(Package, "0.2.0")),
    os:cmd("rm -rf " ++ Tmp).

%% One term, comments aside (in memory: parallel test runs share /tmp).
consult_binary(Bin) ->
    {ok, Tokens, _} = erl_scan:string(unicode:characters_to_list(Bin)),
    {ok, Term} = erl_parse:parse_term(Tokens),
    {ok, [Term]}.

%% The plan: what the relup runs, per application, in the order it runs them.
ticker_plan_test() ->
    Out = tmp_dir(),
    {ok, #{plan := Plan}} =
        relup_builder:run(["--from", unpacked("0.1.0"), "--to", unpacked("0.2.0"), "--out", Out]),
    ?assertMatch(#{relup_instructions := N} when N > 0, Plan),
    ?assertEqual([#{app => "ticker", from => "0.1.0", to => "0.2.0", appup => "generated",
                    instructions =>
                        [#{kind => "add", module => "ticker_stats", behaviour => "gen_server"},
                         #{kind => "code_change", module => "ticker_sup", behaviour => "supervisor",
                           purge => "soft", detail => "child specs re-read"},
                         #{kind => "code_change", module => "ticker_server", behaviour => "gen_server",
                           purge => "soft"},
                         #{kind => "load", module => "ticker_app", behaviour => "application",
                           purge => "soft"},
                         #{kind => "start_child", module => "ticker_sup", detail => "ticker_stats"}]}],
                 maps:get(apps, Plan)),
    os:cmd("rm -rf " ++ Out).

%% A shipped appup is reported as written: its short forms carry OTP's brutal_purge default.
shipped_appup_plan_test() ->
    Tmp = tmp_dir(),
    To = filename:join(Tmp, "to"),
    "" = os:cmd("cp -a " ++ unpacked("0.2.0") ++ " " ++ To),
    {FixtureFile, _} = fixture(),
    {ok, _} = file:copy(FixtureFile, filename:join([To, "lib", "ticker-0.2.0", "ebin", "ticker.appup"])),
    {ok, #{plan := #{apps := [App]}}} =
        relup_builder:run(["--from", unpacked("0.1.0"), "--to", To, "--out", Tmp]),
    ?assertMatch(#{appup := "shipped"}, App),
    ?assert(lists:member(#{kind => "code_change", module => "ticker_sup", behaviour => "supervisor",
                           purge => "brutal", detail => "child specs re-read"},
                         maps:get(instructions, App))),
    os:cmd("rm -rf " ++ Tmp).

%% Every appup form, with the defaults systools_rc gives them.
plan_instruction_forms_test() ->
    Bs = #{w => [gen_statem], s => [supervisor]},
    ?assertEqual([#{kind => "soft_update", module => "w", behaviour => "gen_statem", purge => "brutal",
                    detail => "processes suspended, no code_change"},
                  #{kind => "code_change", module => "w", behaviour => "gen_statem",
                    purge => "brutal/soft", detail => "extra {to,2}"},
                  #{kind => "load", module => "lib", purge => "brutal"},
                  #{kind => "delete", module => "old", purge => "brutal"},
                  #{kind => "stop_child", module => "s", detail => "w"},
                  #{kind => "delete_child", module => "s", detail => "{other,1}"},
                  #{kind => "apply", module => "m", detail => "m:f/2"},
                  #{kind => "restart_emulator"},
                  #{kind => "low_level", detail => "{suspend,[w]}"}],
                 relup_builder:plan_instructions(
                   [{update, w},
                    {update, w, static, infinity, {advanced, {to, 2}}, brutal_purge, soft_purge, []},
                    {load_module, lib, [w]},
                    {delete_module, old},
                    {apply, {supervisor, terminate_child, [s, w]}},
                    {apply, {supervisor, delete_child, [s, w]}},
                    {apply, {supervisor, delete_child, [s, {other, 1}]}},
                    {apply, {m, f, [1, 2]}},
                    {restart_application, app},
                    restart_new_emulator,
                    {suspend, [w]}], Bs)).

%% Application starts and stops are read from the relup's low-level instructions.
app_moves_test() ->
    ?assertEqual([{a, [stop, start]}, {b, [start]}, {c, [stop]}],
                 relup_builder:app_moves([{apply, {application, stop, [a]}},
                                          {remove, {x, brutal_purge, brutal_purge}},
                                          {apply, {application, start, [b, permanent]}},
                                          {apply, {application, start, [a, permanent]}},
                                          {apply, {application, stop, [c]}},
                                          point_of_no_return])).

%%-----------------------------------------------------------------
%% Fixtures on real releases: writable copies of the ticker roots, modules compiled here, and
%% relup_rehearse to run a package on a real node booted from such a copy.
%%-----------------------------------------------------------------

%% Runs Fun(TmpDir) and removes TmpDir, also when Fun fails.
with_tmp(Fun) ->
    Tmp = tmp_dir(),
    try Fun(Tmp) after os:cmd("rm -rf " ++ Tmp) end.

%% A writable copy of the unpacked ticker Vsn under Dir.
copy_root(Vsn, Dir) ->
    Root = filename:join(Dir, Vsn),
    "" = os:cmd("cp -a " ++ unpacked(Vsn) ++ " " ++ Root),
    Root.

%% Compiles Source (the text of one module) into the ticker application of Root and lists the
%% module in its .app (systools finds a module's application there).
add_module(Root, Vsn, Mod, Source) ->
    Src = filename:join(Root, atom_to_list(Mod) ++ ".erl"),
    ok = file:write_file(Src, Source),
    Ebin = filename:join([Root, "lib", "ticker-" ++ Vsn, "ebin"]),
    {ok, Mod} = compile:file(Src, [{outdir, Ebin}, report, warnings_as_errors]),
    ok = file:delete(Src),
    AppFile = filename:join(Ebin, "ticker.app"),
    {ok, [{application, ticker, Keys}]} = file:consult(AppFile),
    Mods = proplists:get_value(modules, Keys),
    App = {application, ticker, lists:keystore(modules, 1, Keys, {modules, Mods ++ [Mod]})},
    ok = file:write_file(AppFile, io_lib:format("~tp.~n", [App])),
    filename:join(Ebin, atom_to_list(Mod) ++ ".beam").

escript(Root) ->
    [Escript] = filelib:wildcard(filename:join(Root, "erts-*/bin/escript")),
    Escript.

%% Runs a command; returns {ExitStatus, Stdout}.
run_cmd(Cmd) ->
    Out = os:cmd(Cmd ++ "; echo \"exit=$?\""),
    [Status | Rest] = lists:reverse(string:split(string:trim(Out, trailing), "exit=", all)),
    {list_to_integer(Status), lists:flatten(lists:join("exit=", lists:reverse(Rest)))}.

%% relup_rehearse of Package on FromRoot (a writable copy, booted as a real node), with a health
%% check; returns its JSON text.
rehearse(FromRoot, Package, From, To, Health) ->
    Rehearse = filename:join(os:getenv("BUILDER_DIR"), "relup_rehearse"),
    {0, Json} = run_cmd(lists:join(" ", [escript(FromRoot), Rehearse, "--root", FromRoot,
                                         "--package", Package, "--release", "ticker",
                                         "--from", From, "--to", To, "--health", Health,
                                         "2>/dev/null"])),
    Json.

contains(Text, Part) ->
    string:find(Text, Part) =/= nomatch.

%%-----------------------------------------------------------------
%% Changed modules: code and attributes
%%-----------------------------------------------------------------

%% ticker_flag:check() answers ok only when the loaded ticker_flag carries -flag(on): the code of
%% both versions is the same, only the attribute differs.
flag_module(Flag) ->
    ["-module(ticker_flag).\n-export([check/0]).\n-flag(", Flag, ").\n"
     "check() ->\n"
     "    case lists:keyfind(flag, 1, ticker_flag:module_info(attributes)) of\n"
     "        {flag, [on]} -> ok;\n"
     "        Other -> {error, Other}\n"
     "    end.\n"].

%% A module whose only change is a custom attribute is changed: it is in the package and, on a
%% real node, the new attribute is what the module reports after the upgrade.
attribute_only_change_test_() ->
    {timeout, 120, fun attribute_only_change/0}.

attribute_only_change() ->
    with_tmp(fun attribute_only_change/1).

attribute_only_change(Tmp) ->
    From = copy_root("0.1.0", Tmp),
    To = copy_root("0.2.0", Tmp),
    OldBeam = add_module(From, "0.1.0", ticker_flag, flag_module("off")),
    NewBeam = add_module(To, "0.2.0", ticker_flag, flag_module("on")),
    %% the fixture is what it claims: same MD5, other attributes
    ?assertEqual(beam_lib:md5(OldBeam), beam_lib:md5(NewBeam)),
    ?assertNotEqual(beam_lib:chunks(OldBeam, [attributes]), beam_lib:chunks(NewBeam, [attributes])),
    {ok, #{hot := true, changed_modules := Changed, package := Package, plan := #{apps := [App]}}} =
        relup_builder:run(["--from", From, "--to", To, "--out", Tmp]),
    ?assert(lists:member("ticker_flag", Changed)),
    ?assert(lists:member(#{kind => "load", module => "ticker_flag", purge => "soft"},
                         maps:get(instructions, App))),
    {_, [{_, Up}], [{_, Down}]} = package_appup(Package),
    ?assert(lists:member({load_module, ticker_flag, soft_purge, soft_purge, []}, Up)),
    ?assert(lists:member({load_module, ticker_flag, soft_purge, soft_purge, []}, Down)),
    %% on a real node: the health check passes only with the new attribute loaded
    Json = rehearse(From, Package, "0.1.0", "0.2.0", "ticker_flag:check"),
    ?assert(contains(Json, "\"result\":\"passed\"")),
    ?assert(contains(Json, "ticker_flag:check() answered ok")).

%%-----------------------------------------------------------------
%% A shipped appup is the author's word
%%-----------------------------------------------------------------

%% ticker 0.3.0 ships an appup that knows 0.2.0 only: from 0.1.0 the builder does not complete it.
%% The package is still built (the operator needs its sha256), with a relup without entries.
shipped_appup_covers_previous_only_test() ->
    with_tmp(fun(Out) ->
        {ok, Report} = relup_builder:run(["--from", unpacked("0.1.0"), "--to", unpacked("0.3.0"),
                                          "--out", Out]),
        #{hot := false, reasons := [Reason], appup_from := AppupFrom, package := Package,
          plan := #{apps := [App], relup_instructions := 0}} = Report,
        ?assertEqual("ticker 0.3.0's shipped appup upgrades only from 0.2.0 (not from 0.1.0)"
                     " and downgrades only to 0.2.0 (not to 0.1.0)", Reason),
        ?assertEqual(#{ticker => ["0.2.0"]}, AppupFrom),
        ?assertMatch(#{appup := "shipped", instructions := []}, App),
        ?assertEqual({"0.3.0", [], []}, package_relup(Package, "0.3.0")),
        {ok, [Shipped]} = file:consult(filename:join(ebin("0.3.0"), "ticker.appup")),
        ?assertEqual(Shipped, package_appup(Package, "0.3.0"))
    end).

%% The same through the escript as the operator runs it: exit 0 and one JSON line on stdout.
shipped_appup_report_json_test() ->
    with_tmp(fun(Out) ->
        {Status, Stdout} = run_cmd(lists:join(" ", [escript(unpacked("0.3.0")), builder(),
                                                    "--from", unpacked("0.1.0"),
                                                    "--to", unpacked("0.3.0"), "--out", Out,
                                                    "2>/dev/null"])),
        ?assertEqual(0, Status),
        ?assertMatch([_], string:lexemes(Stdout, "\n")),
        ?assert(contains(Stdout, "\"appup_from\":{\"ticker\":[\"0.2.0\"]}")),
        ?assert(contains(Stdout, "\"hot\":false")),
        ?assert(contains(Stdout, "\"reasons\":[\"ticker 0.3.0's shipped appup upgrades only from "
                                 "0.2.0 (not from 0.1.0) and downgrades only to 0.2.0 (not to 0.1.0)\"]")),
        ?assert(filelib:is_regular(filename:join(Out, "ticker-0.3.0.tar.gz")))
    end).

%% From the version it names, the shipped appup is used as it is.
shipped_appup_from_previous_test() ->
    with_tmp(fun(Out) ->
        {ok, #{hot := true, reasons := [], appup_from := AppupFrom, package := Package,
               plan := #{apps := [App]}}} =
            relup_builder:run(["--from", unpacked("0.2.0"), "--to", unpacked("0.3.0"), "--out", Out]),
        ?assertEqual(#{ticker => ["0.2.0"]}, AppupFrom),
        ?assertMatch(#{appup := "shipped"}, App),
        ?assertMatch({"0.3.0", [{"0.2.0", _, _}], [{"0.2.0", _, _}]}, package_relup(Package, "0.3.0"))
    end).

%% ticker 0.3.0's hand-written appup says what the builder would generate for 0.2.0 <-> 0.3.0.
shipped_appup_equals_generated_test() ->
    with_tmp(fun(Tmp) ->
        To = copy_root("0.3.0", Tmp),
        Appup = filename:join([To, "lib", "ticker-0.3.0", "ebin", "ticker.appup"]),
        {ok, [Shipped]} = file:consult(Appup),
        ok = file:delete(Appup),
        {ok, #{hot := true, appup_from := NoneShipped, package := Package}} =
            relup_builder:run(["--from", unpacked("0.2.0"), "--to", To, "--out", Tmp]),
        ?assertEqual(#{}, NoneShipped),
        ?assertEqual(Shipped, package_appup(Package, "0.3.0"))
    end).

%% Without a shipped appup the builder generates one: 0.1.0 -> 0.2.0 is hot.
generated_without_shipped_appup_test() ->
    with_tmp(fun(Out) ->
        {ok, Report} = relup_builder:run(["--from", unpacked("0.1.0"), "--to", unpacked("0.2.0"),
                                          "--out", Out]),
        ?assertMatch(#{hot := true, reasons := [], appup_from := #{},
                       plan := #{apps := [#{appup := "generated", instructions := [_ | _]}]}}, Report),
        ?assertMatch({"0.2.0", [{"0.1.0", _, _}], [{"0.1.0", _, _}]},
                     package_relup(maps:get(package, Report), "0.2.0"))
    end).

%% An up entry (a regular expression matching the from-version) without the down entry is not
%% completed either; appup_from gives the expression's text.
shipped_appup_without_down_entry_test() ->
    with_tmp(fun(Tmp) ->
        To = copy_root("0.2.0", Tmp),
        {_, {"0.2.0", [{"0.1.0", Up}], [{"0.1.0", Down}]}} = fixture(),
        write_appup(To, {"0.2.0", [{<<"0\\.1\\.[0-9]+">>, Up}], [{"0.0.9", Down}]}),
        {ok, #{hot := false, reasons := [Reason], appup_from := AppupFrom}} =
            relup_builder:run(["--from", unpacked("0.1.0"), "--to", To, "--out", Tmp]),
        ?assertEqual("ticker 0.2.0's shipped appup downgrades only to 0.0.9 (not to 0.1.0)", Reason),
        ?assertEqual(#{ticker => ["0\\.1\\.[0-9]+"]}, AppupFrom)
    end).

write_appup(Root, {Vsn, _, _} = Appup) ->
    File = filename:join([Root, "lib", "ticker-" ++ Vsn, "ebin", "ticker.appup"]),
    ok = file:write_file(File, io_lib:format("~tp.~n", [Appup])),
    File.

builder() ->
    filename:join(os:getenv("BUILDER_DIR"), "relup_builder").

%% An instruction systools refuses: its message does not say where the instruction comes from, so
%% the error names the author's appups in use.
bad_instruction_in_shipped_appup_test() ->
    with_tmp(fun(Tmp) ->
        To = copy_root("0.2.0", Tmp),
        File = write_appup(To, {"0.2.0", [{"0.1.0", [{bogus_instruction}]}], [{"0.1.0", []}]}),
        Result = relup_builder:run(["--from", unpacked("0.1.0"), "--to", To, "--out", Tmp]),
        ?assertMatch({error, relup_builder, {make_relup, systools_rc, _, [File]}}, Result),
        {error, Mod, Reason} = Result,
        ?assertEqual("Bad instruction: {bogus_instruction} (the appups the release ships: "
                     ++ File ++ ")", lists:flatten(Mod:format_error(Reason)))
    end).

%%-----------------------------------------------------------------
%% Appup scripts (APP.appup.src)
%%-----------------------------------------------------------------

write_script(Root, Vsn, Dir, Text) ->
    File = filename:join([Root, "lib", "ticker-" ++ Vsn, Dir, "ticker.appup.src"]),
    ok = filelib:ensure_dir(File),
    ok = file:write_file(File, Text),
    File.

%% A script in priv/ adds an apply to the generated instructions in each direction: it is in the
%% relup, and on a real node (relup_rehearse: up, health check, down) both applies run.
appup_script_apply_runs_on_node_test_() ->
    {timeout, 120, fun() -> with_tmp(fun appup_script_apply_runs_on_node/1) end}.

appup_script_apply_runs_on_node(Tmp) ->
    From = copy_root("0.1.0", Tmp),
    To = copy_root("0.2.0", Tmp),
    Marker = filename:join(Tmp, "marker"),
    write_script(To, "0.2.0", "priv",
                 ["%% a marker file per direction, after the generated instructions\n"
                  "Marker = \"", Marker, "\",\n"
                  "Up = UpInstructions ++\n"
                  "     [{apply, {file, write_file, [Marker ++ \".up\", FromVsn ++ \" -> \" ++ ToVsn]}}],\n"
                  "Down = DownInstructions ++\n"
                  "       [{apply, {file, write_file, [Marker ++ \".down\", ToVsn ++ \" -> \" ++ FromVsn]}}].\n"
                  "{ToVsn, [{FromVsn, Up}], [{FromVsn, Down}]}.\n"]),
    {ok, #{hot := true, appup_from := AppupFrom, package := Package, plan := #{apps := [App]}}} =
        relup_builder:run(["--from", From, "--to", To, "--out", Tmp]),
    ?assertEqual(#{ticker => ["0.1.0"]}, AppupFrom),
    ?assertMatch(#{appup := "shipped"}, App),
    ?assertEqual(#{kind => "apply", module => "file", detail => "file:write_file/2"},
                 lists:last(maps:get(instructions, App))),
    UpApply = {apply, {file, write_file, [Marker ++ ".up", "0.1.0 -> 0.2.0"]}},
    DownApply = {apply, {file, write_file, [Marker ++ ".down", "0.2.0 -> 0.1.0"]}},
    {"0.2.0", [{"0.1.0", _, UpRelup}], [{"0.1.0", _, DownRelup}]} = package_relup(Package, "0.2.0"),
    ?assert(lists:member(UpApply, UpRelup)),
    ?assert(lists:member(DownApply, DownRelup)),
    %% the evaluated appup replaces the generated one in the package: the same plus the applies
    {_, [{_, Up}], [{_, Down}]} = package_appup(Package),
    ?assertEqual(UpApply, lists:last(Up)),
    ?assertEqual(DownApply, lists:last(Down)),
    Json = rehearse(From, Package, "0.1.0", "0.2.0", "ticker_server:health"),
    ?assert(contains(Json, "\"result\":\"passed\"")),
    ?assertEqual({ok, <<"0.1.0 -> 0.2.0">>}, file:read_file(Marker ++ ".up")),
    ?assertEqual({ok, <<"0.2.0 -> 0.1.0">>}, file:read_file(Marker ++ ".down")).

%% In ebin/ too, before a shipped ebin/APP.appup (here one without entries, which alone would make
%% the package not hot); UpInstructions and DownInstructions are the generated instructions.
appup_script_in_ebin_test() ->
    with_tmp(fun(Tmp) ->
        To = copy_root("0.2.0", Tmp),
        write_appup(To, {"0.2.0", [], []}),
        write_script(To, "0.2.0", "ebin",
                     "GC = {apply, {erlang, garbage_collect, []}},\n"
                     "{ToVsn, [{FromVsn, UpInstructions ++ [GC]}], [{FromVsn, [GC | DownInstructions]}]}.\n"),
        {ok, #{hot := true, package := Package}} =
            relup_builder:run(["--from", unpacked("0.1.0"), "--to", To, "--out", Tmp]),
        {ok, #{package := Generated}} =
            relup_builder:run(["--from", unpacked("0.1.0"), "--to", unpacked("0.2.0"),
                               "--out", filename:join(Tmp, "generated")]),
        {V, [{F, Up}], [{F, Down}]} = package_appup(Generated),
        GC = {apply, {erlang, garbage_collect, []}},
        ?assertEqual({V, [{F, Up ++ [GC]}], [{F, [GC | Down]}]}, package_appup(Package))
    end).

%% A script answering for other versions only: not hot, as a shipped appup.
appup_script_other_versions_test() ->
    with_tmp(fun(Tmp) ->
        To = copy_root("0.2.0", Tmp),
        write_script(To, "0.2.0", "priv",
                     "{ToVsn, [{\"0.0.9\", UpInstructions}], [{\"0.0.9\", DownInstructions}]}.\n"),
        {ok, #{hot := false, reasons := [Reason], appup_from := #{ticker := ["0.0.9"]}}} =
            relup_builder:run(["--from", unpacked("0.1.0"), "--to", To, "--out", Tmp]),
        ?assertEqual("ticker 0.2.0's shipped priv/ticker.appup.src upgrades only from 0.0.9 "
                     "(not from 0.1.0) and downgrades only to 0.0.9 (not to 0.1.0)", Reason)
    end).

%% Errors name the file and the line: {File, Line} for each script.
appup_script_errors_test_() ->
    Cases = [{"scan", "X = 1,\n\"unterminated.\n", 2},
             {"parse", "X = 1,\nY = ,\n{ToVsn, [], []}.\n", 2},
             {"no final dot", "X = 1.\n{ToVsn, [], []}\n", 2},
             {"crash", "%% comment\nX = 1,\n{ok, _} = {error, X},\n{ToVsn, [], []}.\n", 3},
             {"unbound", "X = 1.\n\n{ToVsn, [{FromVsn, Nope}], []}.\n", 3},
             {"wrong shape", "X = 1,\n\n{ToVsn, X}.\n", 3},
             {"wrong version", "X = 1.\n{\"9.9.9\", [], []}.\n", 2},
             {"bad entry", "{ToVsn, [{FromVsn, not_a_list}], []}.\n", 1},
             {"exit", "exit(bye).\n", 1},
             {"local call", "X = 1,\nfoo(X).\n", 2},
             {"empty", "%% nothing\n", 1}],
    {setup, fun tmp_dir/0, fun(Tmp) -> os:cmd("rm -rf " ++ Tmp) end,
     fun(Tmp) ->
             [{Name, fun() -> script_error(Tmp, Name, Text, Line) end} || {Name, Text, Line} <- Cases]
     end}.

script_error(Tmp, Name, Text, Line) ->
    Dir = filename:join(Tmp, [C || C <- Name, C =/= $\s]),
    ok = file:make_dir(Dir),
    To = copy_root("0.2.0", Dir),
    File = write_script(To, "0.2.0", "priv", Text),
    Result = relup_builder:run(["--from", unpacked("0.1.0"), "--to", To, "--out", Tmp]),
    ?assertMatch({error, relup_builder, {bad_appup_script, File, Line, _}}, Result).

%% As the operator sees it: exit 1 and one stderr line starting with the file and line.
appup_script_error_exit_test() ->
    with_tmp(fun(Tmp) ->
        To = copy_root("0.2.0", Tmp),
        File = write_script(To, "0.2.0", "priv", "X = 1,\n{ok, _} = {error, X},\nX.\n"),
        Err = filename:join(Tmp, "err"),
        {Status, Stdout} = run_cmd(lists:join(" ", [escript(To), builder(), "--from", unpacked("0.1.0"),
                                                    "--to", To, "--out", Tmp, "2>" ++ Err])),
        {ok, Stderr} = file:read_file(Err),
        ?assertEqual({1, ""}, {Status, Stdout}),
        ?assertMatch([_], string:lexemes(Stderr, "\n")),
        ?assertEqual(<<"relup_builder: ", (list_to_binary(File))/binary,
                       ":2: evaluation failed: error:{badmatch,{error,1}}\n">>, Stderr)
    end).

%% Two scripts: which one is meant is not for the builder to guess.
two_appup_scripts_test() ->
    with_tmp(fun(Tmp) ->
        To = copy_root("0.2.0", Tmp),
        Scripts = [write_script(To, "0.2.0", Dir, "{ToVsn, [], []}.\n") || Dir <- ["ebin", "priv"]],
        ?assertEqual({error, relup_builder, {two_appup_scripts, Scripts}},
                     relup_builder:run(["--from", unpacked("0.1.0"), "--to", To, "--out", Tmp]))
    end).

%% An instruction systools refuses: its message does not say where the instruction comes from, so
%% the error names the author's appups in use (a script with the line that gave the appup).
bad_instruction_in_script_test() ->
    with_tmp(fun(Tmp) ->
        To = copy_root("0.2.0", Tmp),
        File = write_script(To, "0.2.0", "priv",
                            "X = [{bogus_instruction}],\n{ToVsn, [{FromVsn, X}], [{FromVsn, []}]}.\n"),
        Result = relup_builder:run(["--from", unpacked("0.1.0"), "--to", To, "--out", Tmp]),
        ?assertMatch({error, relup_builder, {make_relup, systools_rc, _, [_]}}, Result),
        {error, Mod, Reason} = Result,
        ?assertEqual("Bad instruction: {bogus_instruction} (the appups the release ships: "
                     ++ File ++ ":2)", lists:flatten(Mod:format_error(Reason)))
    end).
