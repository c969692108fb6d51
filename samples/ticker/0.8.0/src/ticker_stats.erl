%% Added in 0.2.0: sees every tick of ticker_server and keeps a summary.
%% Started by a hot upgrade through supervisor:restart_child/2.
-module(ticker_stats).
-behaviour(gen_server).

-export([start_link/0, tick/1, info/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2,
         terminate/2, code_change/3]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

%% A cast to a registered name that does not exist is a no-op, so the server
%% may tick before this process is started during an upgrade.
-spec tick(pos_integer()) -> ok.
tick(Interval) ->
    gen_server:cast(?MODULE, {tick, Interval}).

-spec info() -> map().
info() ->
    gen_server:call(?MODULE, info).

init([]) ->
    {ok, #{ticks => 0, last_interval => undefined,
           started_at => erlang:system_time(millisecond)}}.

handle_call(info, _From, Stats) ->
    {reply, Stats#{pid => self()}, Stats};
handle_call(_Request, _From, Stats) ->
    {reply, {error, unknown_call}, Stats}.

handle_cast({tick, Interval}, Stats = #{ticks := Ticks}) ->
    {noreply, Stats#{ticks := Ticks + 1, last_interval := Interval}};
handle_cast(_Msg, Stats) ->
    {noreply, Stats}.

handle_info(_Info, Stats) ->
    {noreply, Stats}.

terminate(_Reason, _Stats) ->
    ok.

code_change(_OldVsn, Stats, _Extra) ->
    {ok, Stats}.
