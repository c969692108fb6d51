%% Counts ticks. Since 0.3.0 the interval is fixed: the env key is gone.
-module(ticker_server).
-behaviour(gen_server).

-export([start_link/0, info/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2,
         terminate/2, code_change/3]).

-define(STATE_VSN, 2).
-define(INTERVAL, 500).

%% Same record as 0.2.0.
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

init([]) ->
    {ok, arm(#state{interval = ?INTERVAL})}.

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

%% Only from 0.2.0 (the relup of 0.3.0 covers 0.2.0 only: the seed's trap).
%% On the way down release_handler has already put 0.2.0's env back, so the
%% interval comes from there.
code_change({down, _}, State = #state{}, _Extra) ->
    {ok, State#state{interval = application:get_env(ticker, ticker, 5000)}};
code_change(_OldVsn, State = #state{}, _Extra) ->
    {ok, State#state{interval = ?INTERVAL}}.

arm(State = #state{interval = Interval}) ->
    State#state{timer = erlang:send_after(Interval, self(), tick)}.

app_vsn() ->
    {ok, Vsn} = application:get_key(ticker, vsn),
    Vsn.
