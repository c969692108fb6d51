%% One client connection: reads lines, keeps a running sum, the number of adds and their mean.
%%   add <integer>\n   ->  sum=<S> n=<N> avg=<A> v=2\n
%%   stats\n           ->  the same line, nothing added (new in 0.2.0)
%%   anything else     ->  error <what>\n   (the connection stays open)
-module(tally_conn).
-behaviour(gen_server).

-export([start_link/1, go/1, info/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2,
         terminate/2, code_change/3]).

%% 0.1.0 was {state, Socket, Sum, N}; avg is new, derived from the two.
-record(state, {socket :: gen_tcp:socket(),
                sum = 0 :: integer(),
                n = 0 :: non_neg_integer(),
                avg = 0.0 :: float()}).

start_link(Socket) ->
    gen_server:start_link(?MODULE, Socket, []).

-spec go(pid()) -> ok.
go(Pid) ->
    gen_server:cast(Pid, go).

%% What the tests look at over RPC.
-spec info(pid()) -> map().
info(Pid) ->
    gen_server:call(Pid, info).

init(Socket) ->
    {ok, #state{socket = Socket}}.

%% The first clause of each callback converts a 0.1.0 state that missed code_change/3: a
%% connection accepted after release_handler listed the processes to suspend but before it
%% loaded this module runs the old init/1 and is never suspended.
handle_call(Request, From, Old = {state, _, _, _}) ->
    handle_call(Request, From, up(Old));
handle_call(info, _From, State = #state{sum = Sum, n = N, avg = Avg}) ->
    {reply, #{sum => Sum, n => N, avg => Avg, app_vsn => app_vsn(),
              state_fields => record_info(fields, state)}, State};
handle_call(_Request, _From, State) ->
    {reply, {error, unknown_call}, State}.

handle_cast(Msg, Old = {state, _, _, _}) ->
    handle_cast(Msg, up(Old));
handle_cast(go, State) ->
    next_line(State);
handle_cast(_Msg, State) ->
    {noreply, State}.

handle_info(Info, Old = {state, _, _, _}) ->
    handle_info(Info, up(Old));
handle_info({tcp, Socket, Line}, State = #state{socket = Socket}) ->
    {Reply, State1} = request(string:lexemes(Line, " \t\r\n"), State),
    case gen_tcp:send(Socket, [Reply, $\n]) of
        ok -> next_line(State1);
        {error, _} -> {stop, normal, State1}
    end;
handle_info({tcp_closed, Socket}, State = #state{socket = Socket}) ->
    {stop, normal, State};
handle_info({tcp_error, Socket, _Reason}, State = #state{socket = Socket}) ->
    {stop, normal, State};
handle_info(_Info, State) ->
    {noreply, State}.

terminate(_Reason, _State) ->
    ok.

%% Matched on the state's shape, not on OldVsn (the module's MD5, not the application version).
%% The downgrade runs here, in this module, before the 0.1.0 code is loaded.
code_change({down, _}, #state{socket = Socket, sum = Sum, n = N}, _Extra) ->
    {ok, {state, Socket, Sum, N}};
code_change(_OldVsn, Old = {state, _, _, _}, _Extra) ->
    {ok, up(Old)};
code_change(_OldVsn, State = #state{}, _Extra) ->
    {ok, State}.

up({state, Socket, Sum, N}) ->
    #state{socket = Socket, sum = Sum, n = N, avg = avg(Sum, N)}.

request([<<"add">>, Arg], State = #state{sum = Sum, n = N}) ->
    case string:to_integer(Arg) of
        {X, <<>>} ->
            State1 = State#state{sum = Sum + X, n = N + 1, avg = avg(Sum + X, N + 1)},
            {reply(State1), State1};
        _ ->
            {<<"error not an integer">>, State}
    end;
request([<<"stats">>], State) ->
    {reply(State), State};
request(_, State) ->
    {<<"error unknown request">>, State}.

reply(#state{sum = Sum, n = N, avg = Avg}) ->
    io_lib:format("sum=~b n=~b avg=~.2f v=2", [Sum, N, Avg]).

avg(_Sum, 0) -> 0.0;
avg(Sum, N) -> Sum / N.

%% Active once: one request at a time, the client's next lines wait in the socket.
next_line(State = #state{socket = Socket}) ->
    case inet:setopts(Socket, [{active, once}]) of
        ok -> {noreply, State};
        {error, _} -> {stop, normal, State}
    end.

app_vsn() ->
    {ok, Vsn} = application:get_key(tally, vsn),
    Vsn.
