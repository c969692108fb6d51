%% Counts ticks. The interval is read from the application env at every tick,
%% so a changed env takes effect at the next tick.
-module(ticker_server).
-behaviour(gen_server).

-export([start_link/0, info/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2,
         terminate/2, code_change/3]).

-define(STATE_VSN, 1).

-record(state, {count = 0 :: non_neg_integer(),
                timer :: reference() | undefined}).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

%% What the tests look at over RPC.
-spec info() -> map().
info() ->
    gen_server:call(?MODULE, info).

init([]) ->
    {ok, arm(#state{})}.

handle_call(info, _From, State = #state{count = Count}) ->
    Info = #{count => Count,
             interval => interval(),
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

handle_info(tick, State = #state{count = Count}) ->
    {noreply, arm(State#state{count = Count + 1})};
handle_info(_Info, State) ->
    {noreply, State}.

terminate(_Reason, _State) ->
    ok.

code_change(_OldVsn, State, _Extra) ->
    {ok, State}.

arm(State) ->
    State#state{timer = erlang:send_after(interval(), self(), tick)}.

interval() ->
    application:get_env(ticker, ticker, 1000).

app_vsn() ->
    {ok, Vsn} = application:get_key(ticker, vsn),
    Vsn.
