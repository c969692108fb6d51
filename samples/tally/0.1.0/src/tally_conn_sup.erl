%% One child per client connection. release_handler finds the connection processes through
%% which_children/1 here, with the modules of the child spec: so a hot update of tally_conn
%% suspends them, runs their code_change and resumes them.
-module(tally_conn_sup).
-behaviour(supervisor).

-export([start_link/0, start_conn/1]).
-export([init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

-spec start_conn(gen_tcp:socket()) -> supervisor:startchild_ret().
start_conn(Socket) ->
    supervisor:start_child(?MODULE, [Socket]).

%% temporary: a closed connection is gone for good, its client has to reconnect.
init([]) ->
    Flags = #{strategy => simple_one_for_one, intensity => 5, period => 10},
    Child = #{id => tally_conn,
              start => {tally_conn, start_link, []},
              restart => temporary,
              modules => [tally_conn]},
    {ok, {Flags, [Child]}}.
