-module(ticker_app).
-behaviour(application).

-export([start/2, stop/1, config_change/3]).

start(_StartType, _StartArgs) ->
    ticker_sup:start_link().

stop(_State) ->
    ok.

%% release_handler calls this after install_release when the env differs
%% (new .app env or sys.config; on a downgrade from 0.3.0 the key is New):
%% the server keeps its interval in its state, so it has to be told.
config_change(Changed, New, _Removed) ->
    case lists:keyfind(ticker, 1, Changed ++ New) of
        {ticker, Interval} -> ticker_server:set_interval(Interval);
        false -> ok
    end.
