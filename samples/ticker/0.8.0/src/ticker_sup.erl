-module(ticker_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Flags = #{strategy => one_for_one, intensity => 5, period => 10},
    Children = [#{id => ticker_stats,
                  start => {ticker_stats, start_link, []},
                  modules => [ticker_stats]},
                #{id => ticker_server,
                  start => {ticker_server, start_link, []},
                  modules => [ticker_server]}],
    {ok, {Flags, Children}}.
