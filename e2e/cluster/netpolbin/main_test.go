package main

import (
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
	v1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

func pod(ns, name, node, ip string, l map[string]string) *v1.Pod {
	return &v1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: l},
		Spec: v1.PodSpec{NodeName: node}, Status: v1.PodStatus{PodIPs: []v1.PodIP{{IP: ip}}}}
}

func TestSelectedLocalPodIPs(t *testing.T) {
	pods := []*v1.Pod{
		pod("a", "epmd", "n1", "10.244.0.7", map[string]string{"app": "erl"}),
		pod("a", "client", "n1", "10.244.0.8", map[string]string{"app": "client"}),
		pod("b", "erl", "n1", "10.244.0.9", map[string]string{"app": "erl"}),
		pod("a", "far", "n2", "10.244.1.7", map[string]string{"app": "erl"}),
	}
	nps := []*networkingv1.NetworkPolicy{{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "p"},
		Spec: networkingv1.NetworkPolicySpec{PodSelector: metav1.LabelSelector{MatchLabels: map[string]string{"app": "erl"}}}}}
	got := selectedLocalPodIPs(func(labels.Selector) ([]*v1.Pod, error) { return pods, nil },
		func(labels.Selector) ([]*networkingv1.NetworkPolicy, error) { return nps, nil }, "n1")
	if want := []string{"10.244.0.7"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// Needs root; run it in a private, empty network namespace only:
//
//	RELUP_NETNS_TEST=1 unshare -n go test -run Netns -v .
func TestNetnsDataplane(t *testing.T) {
	if os.Getenv("RELUP_NETNS_TEST") != "1" {
		t.Skip("set RELUP_NETNS_TEST=1 and run under `unshare -n`")
	}
	out, _ := exec.Command("ip", "-o", "link").Output()
	if strings.Count(strings.TrimSpace(string(out)), "\n") != 0 {
		t.Fatalf("not an empty network namespace:\n%s", out)
	}
	d := &dataplane{iptables: "iptables", queue: 100, bypass: true}
	if err := d.sync([]string{"10.244.0.7"}, ""); err != nil {
		t.Fatal(err)
	}
	if err := d.sync([]string{"10.244.0.7", "10.244.0.9"}, ""); err != nil { // again: replaced, jump not doubled
		t.Fatal(err)
	}
	rules, _ := exec.Command("iptables", "-t", "mangle", "-S").Output()
	t.Logf("\n%s", rules)
	if n := strings.Count(string(rules), "-A FORWARD"); n != 1 {
		t.Fatalf("%d jumps", n)
	}
	if n := strings.Count(string(rules), "NFQUEUE --queue-num 100 --queue-bypass"); n != 4 {
		t.Fatalf("%d NFQUEUE rules", n)
	}
	if err := d.cleanup(); err != nil {
		t.Fatal(err)
	}
	rules, _ = exec.Command("iptables", "-t", "mangle", "-S").Output()
	if strings.Contains(string(rules), chain) {
		t.Fatalf("left over:\n%s", rules)
	}

	// What upstream's syncNFTablesRules meets on this kernel: a batch with the nftables queue expression.
	nft, err := nftables.New()
	if err != nil {
		t.Fatal(err)
	}
	table := nft.AddTable(&nftables.Table{Name: "kube-network-policies", Family: nftables.TableFamilyINet})
	ch := nft.AddChain(&nftables.Chain{Name: "postrouting", Table: table, Type: nftables.ChainTypeFilter,
		Hooknum: nftables.ChainHookPostrouting, Priority: nftables.ChainPriorityFilter})
	nft.AddRule(&nftables.Rule{Table: table, Chain: ch, Exprs: []expr.Any{&expr.Queue{Num: 100, Flag: expr.QueueFlagBypass}}})
	err = nft.Flush()
	t.Logf("nftables batch with a queue expression: err=%v", err)
	tables, _ := nft.ListTables()
	left := false
	for _, tb := range tables {
		t.Logf("table after it: %s (family %d)", tb.Name, tb.Family) // iptables-nft's own "mangle" table is expected
		left = left || tb.Name == "kube-network-policies"
	}
	if err == nil {
		t.Logf("this kernel runs the nftables queue expression: upstream's own rules would be installed too")
	} else if left {
		t.Fatalf("the failed batch left upstream's table behind")
	}
}
