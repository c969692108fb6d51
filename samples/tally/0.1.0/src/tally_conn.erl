%% One client connection: reads lines, keeps a running sum and the number of adds.
%%   add <integer>\n   ->  sum=<S> n=<N>\n
%%   anything else     ->  error <what>\n   (the connection stays open)
-module(tally_conn).
-behaviour(gen_server).

-export([start_link/1, go/1, info/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2,
         terminate/2, code_change/3]).

-record(state, {socket :: gen_tcp:socket(),
                sum = 0 :: integer(),
                n = 0 :: non_neg_integer()}).

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

handle_call(info, _From, State = #state{sum = Sum, n = N}) ->
    {reply, #{sum => Sum, n => N, app_vsn => app_vsn(),
              state_fields => record_info(fields, state)}, State};
handle_call(_Request, _From, State) ->
    {reply, {error, unknown_call}, State}.

handle_cast(go, State) ->
    next_line(State);
handle_cast(_Msg, State) ->
    {noreply, State}.

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

code_change(_OldVsn, State, _Extra) ->
    {ok, State}.

request([<<"add">>, Arg], State = #state{sum = Sum, n = N}) ->
    case string:to_integer(Arg) of
        {X, <<>>} ->
            State1 = State#state{sum = Sum + X, n = N + 1},
            {reply(State1), State1};
        _ ->
            {<<"error not an integer">>, State}
    end;
request(_, State) ->
    {<<"error unknown request">>, State}.

reply(#state{sum = Sum, n = N}) ->
    io_lib:format("sum=~b n=~b", [Sum, N]).

%% Active once: one request at a time, the client's next lines wait in the socket.
next_line(State = #state{socket = Socket}) ->
    case inet:setopts(Socket, [{active, once}]) of
        ok -> {noreply, State};
        {error, _} -> {stop, normal, State}
    end.

app_vsn() ->
    {ok, Vsn} = application:get_key(tally, vsn),
    Vsn.
