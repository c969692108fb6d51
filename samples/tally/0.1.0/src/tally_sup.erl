-module(tally_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

%% The connection supervisor starts first: the listener hands it every accepted socket.
init([]) ->
    Flags = #{strategy => one_for_one, intensity => 5, period => 10},
    Children = [#{id => tally_conn_sup,
                  start => {tally_conn_sup, start_link, []},
                  type => supervisor,
                  modules => [tally_conn_sup]},
                #{id => tally_listener,
                  start => {tally_listener, start_link, []},
                  modules => [tally_listener]}],
    {ok, {Flags, Children}}.
