%% Owns the listen socket and hands every accepted connection to a new tally_conn.
%%
%% It is a gen_server that accepts with a short timeout instead of a process blocked in
%% gen_tcp:accept/1: a blocked process cannot answer sys messages, so release_handler could
%% neither suspend it nor change its code, and a purge of its module would kill it (closing
%% the listen socket). Pending connections wait in the backlog, so the timeout only bounds how
%% long a sys request (suspend, code_change, get_state) waits: at most ?ACCEPT_POLL ms.
-module(tally_listener).
-behaviour(gen_server).

-export([start_link/0, port/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2,
         terminate/2, code_change/3]).

-define(ACCEPT_POLL, 100).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

%% The port actually listened on (the env may say 0: any free port).
-spec port() -> inet:port_number().
port() ->
    gen_server:call(?MODULE, port).

init([]) ->
    Port = application:get_env(tally, port, 7070),
    Ip = application:get_env(tally, ip, any),
    %% Accepted sockets inherit these options: one line is one request.
    Opts = [binary, {packet, line}, {active, false}, {reuseaddr, true}, {ip, Ip},
            {backlog, 1024}],
    case gen_tcp:listen(Port, Opts) of
        {ok, Listen} ->
            self() ! accept,
            {ok, #{listen => Listen}};
        {error, Reason} ->
            {stop, {listen, Port, Reason}}
    end.

handle_call(port, _From, State = #{listen := Listen}) ->
    {reply, element(2, inet:port(Listen)), State};
handle_call(_Request, _From, State) ->
    {reply, {error, unknown_call}, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.

handle_info(accept, State = #{listen := Listen}) ->
    case gen_tcp:accept(Listen, ?ACCEPT_POLL) of
        {ok, Socket} ->
            hand_over(Socket);
        {error, timeout} ->
            ok;
        {error, Reason} ->
            exit({accept, Reason})
    end,
    self() ! accept,
    {noreply, State};
handle_info(_Info, State) ->
    {noreply, State}.

terminate(_Reason, _State) ->
    ok.

code_change(_OldVsn, State, _Extra) ->
    {ok, State}.

%% The connection process must own the socket before it reads from it, hence the explicit go.
hand_over(Socket) ->
    case tally_conn_sup:start_conn(Socket) of
        {ok, Pid} ->
            ok = gen_tcp:controlling_process(Socket, Pid),
            tally_conn:go(Pid);
        _ ->
            gen_tcp:close(Socket)
    end.
