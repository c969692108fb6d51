%% Counts ticks. Since 0.2.0 the interval lives in the state (pushed by
%% ticker_app:config_change/3) and every tick is reported to ticker_stats.
-module(ticker_server).
-behaviour(gen_server).

-export([start_link/0, info/0, health/0, set_interval/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2,
         terminate/2, code_change/3]).

-define(STATE_VSN, 2).

%% 0.1.0 was {state, Count, Timer}; interval and last_tick are new.
-record(state, {count = 0 :: non_neg_integer(),
                timer :: reference() | undefined,
                interval :: pos_integer(),
                last_tick :: integer() | undefined}).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

%% What the tests look at over RPC.
-spec info() -> map().
info() ->
    gen_server:call(?MODULE, info).

%% The release's health check. 0.8.0 is broken on purpose: it upgrades cleanly
%% (same state as 0.2.0) but calls itself unhealthy, which only a health check
%% after the move can catch.
-spec health() -> ok | {error, term()}.
health() ->
    #{interval := Interval} = info(),
    {error, {interval_too_long, Interval}}.

-spec set_interval(pos_integer()) -> ok.
set_interval(Interval) when is_integer(Interval), Interval > 0 ->
    gen_server:call(?MODULE, {set_interval, Interval}).

init([]) ->
    {ok, arm(#state{interval = env_interval()})}.

handle_call(info, _From, State = #state{count = Count, interval = Interval,
                                        last_tick = LastTick}) ->
    Info = #{count => Count,
             interval => Interval,
             last_tick => LastTick,
             pid => self(),
             os_pid => os:getpid(),
             app_vsn => app_vsn(),
             state_vsn => ?STATE_VSN,
             state_fields => record_info(fields, state)},
    {reply, Info, State};
handle_call({set_interval, Interval}, _From, State) ->
    {reply, ok, State#state{interval = Interval}};
handle_call(_Request, _From, State) ->
    {reply, {error, unknown_call}, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.

handle_info(tick, State = #state{count = Count, interval = Interval}) ->
    ticker_stats:tick(Interval),
    Now = erlang:system_time(millisecond),
    {noreply, arm(State#state{count = Count + 1, last_tick = Now})};
handle_info(_Info, State) ->
    {noreply, State}.

terminate(_Reason, _State) ->
    ok.

%% Matched on the state's shape, not on OldVsn: OldVsn is the old module's
%% -vsn (its MD5 unless set), not the application version.
%% Downgrade runs here, in the new module, before the old code is loaded.
%% 0.8.0 keeps 0.2.0's state: going down (to 0.2.0, the only way down a test takes) keeps it as it is.
code_change({down, _}, State = #state{}, _Extra) ->
    {ok, State};
code_change(_OldVsn, {state, Count, Timer}, _Extra) ->
    {ok, #state{count = Count, timer = Timer, interval = env_interval()}};
code_change(_OldVsn, State = #state{}, _Extra) ->
    {ok, State}.

arm(State = #state{interval = Interval}) ->
    State#state{timer = erlang:send_after(Interval, self(), tick)}.

env_interval() ->
    application:get_env(ticker, ticker, 5000).

app_vsn() ->
    {ok, Vsn} = application:get_key(ticker, vsn),
    Vsn.
