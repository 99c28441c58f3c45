-- MSI directory protocol of "A Primer on Memory Consistency and Cache Coherence" (2nd ed.),
-- Tables 8.1 (cache) and 8.2 (directory), on one line, as a Murphi model for Rumur.
--
-- An independent model of the system that the coherence module's Explorer searches
-- (Msi.java for the tables, CoherenceSystem.java for the system around them). Two states
-- here are equal exactly when the explorer packs them alike (PackedState), so with symmetry reduction off
-- the number of states Rumur reports is the number of states the Explorer reports.
--
-- The system:
--   * NODES caches and one directory; memory starts at 0.
--   * A core that is not waiting and has issued fewer than OPS requests may issue a Load,
--     a Store of each value 1..NVALS, or a Replacement (an eviction). Every one of them,
--     hits and Replacements included, counts as an issued request. Requests whose table
--     entry is a stall are not enabled.
--   * Messages in flight are delivered in any order, except that forward-network messages
--     (Fwd-GetS, Fwd-GetM, Inv, Put-Ack, all sent by the directory) keep FIFO order per
--     target. A message whose table entry is a stall is not deliverable.
--   * Inv-Acks may overtake the Data: a cache counts "acks expected minus acks received",
--     which may go negative. Data from the directory is "ack=0" when its ack count plus
--     the counter is zero, an Inv-Ack is the last one in IM^A / SM^A when the counter is 1.
--   * Ghost state lastWrite holds the last value stored; every completed load must return it.
--   * Invariants: single writer / multiple readers after every step; a state with nothing
--     enabled must be quiescent (nothing in flight, no core waiting), every core must have
--     issued all its requests, and the directory must agree with the caches and memory with
--     lastWrite (unless the directory is in M).
--
-- What is state, as in the Java key:
--   * per cache: state, value (kept in invalid lines too), ack counter; the pending request
--     (none / Load / Store with its value); how many requests the core has issued;
--   * directory: state, sharers, owner, memory, and the ghost lastWrite;
--   * the forward network as ONE queue in global send order (fwd[0 .. fwdLen-1]);
--   * requests and responses as a multiset, kept as a count per distinct message.
--
-- Node ids are a scalarset, so the same file runs with or without symmetry reduction.
-- With --symmetry-reduction off the scalarset is an ordinary range 0..NODES-1 and the
-- count is exact. With symmetry reduction it is a reduced count; note the directory sends
-- the Invs of one GetM in node-id order, so the model is symmetric only up to the order of
-- Invs sent together (which the per-target FIFO rule makes irrelevant to behaviour).
--
-- To change the configuration edit NODES and OPS below (see README.md for sed one-liners).

const
  NODES: 3;                 -- caches
  OPS: 2;                   -- requests each core may issue
  NVALS: 2;                 -- stores write 1..NVALS
  FWDMAX: 2 * NODES + 2;    -- forward-queue capacity (overflow is reported as an error)
  CNTMAX: 3;                -- most copies of one request/response in flight (overflow is an error)

type
  Node: scalarset(NODES);
  Val: 0..NVALS;
  StoreVal: 1..NVALS;
  Acks: -NODES..NODES;
  AckCount: 0..NODES - 1;
  Count: 0..CNTMAX;
  Issued: 0..OPS;
  FwdIdx: 0..FWDMAX - 1;
  FwdLen: 0..FWDMAX;

  CState: enum { C_I, C_IS_D, C_IM_AD, C_IM_A, C_S, C_SM_AD, C_SM_A, C_M, C_MI_A, C_SI_A, C_II_A };
  DState: enum { D_I, D_S, D_M, D_S_D };
  Op: enum { OP_NONE, OP_LOAD, OP_STORE };
  FwdType: enum { FWD_GETS, FWD_GETM, FWD_INV, FWD_PUT_ACK };

  FwdMsg: record
    mtype: FwdType;
    dst: Node;              -- the cache it goes to (the source is always the directory)
    req: Node;              -- the requestor (for Put-Ack: the target itself)
  end;

var
  -- caches and cores
  cst: array [Node] of CState;
  cval: array [Node] of Val;
  cacks: array [Node] of Acks;
  pend: array [Node] of Op;
  pendVal: array [Node] of Val;       -- 0 unless a Store is pending
  issued: array [Node] of Issued;

  -- directory and ghost state
  dst: DState;
  sharers: array [Node] of boolean;
  hasOwner: boolean;
  owner: Node;                        -- undefined while hasOwner is false
  memory: Val;
  lastWrite: Val;

  -- forward network: one queue in global send order; unused slots are undefined
  fwd: array [FwdIdx] of FwdMsg;
  fwdLen: FwdLen;

  -- request and response networks: a multiset, as the number of copies of each message
  nGetS: array [Node] of Count;                                   -- GetS from n
  nGetM: array [Node] of Count;                                   -- GetM from n
  nPutS: array [Node] of Count;                                   -- PutS from n
  nPutM: array [Node] of array [Val] of Count;                    -- PutM+data from n
  nDirData: array [Node] of array [Val] of array [AckCount] of Count; -- Data Dir->n (value, acks)
  nOwnData: array [Node] of array [Node] of array [Val] of Count; -- Data owner->requestor [src][dst]
  nOwnDataDir: array [Node] of array [Node] of array [Val] of Count; -- Data owner->Dir [src][requestor]
  nInvAck: array [Node] of array [Node] of Count;                 -- Inv-Ack [src][dst]

-------------------------------------------------------------------------------
-- helpers

procedure SendFwd(t: FwdType; d: Node; r: Node);
begin
  assert fwdLen < FWDMAX "forward queue overflow: raise FWDMAX";
  fwd[fwdLen].mtype := t;
  fwd[fwdLen].dst := d;
  fwd[fwdLen].req := r;
  fwdLen := fwdLen + 1;
end;

procedure RemoveFwd(i: FwdIdx);
begin
  for j: FwdIdx do
    if j >= i & j + 1 < fwdLen then
      fwd[j] := fwd[j + 1];
    endif;
  endfor;
  undefine fwd[fwdLen - 1];
  fwdLen := fwdLen - 1;
end;

-- whether fwd[i] is the oldest forward message to its target
function FwdHead(i: FwdIdx): boolean;
begin
  for j: FwdIdx do
    if j < i then
      if fwd[j].dst = fwd[i].dst then
        return false;
      endif;
    endif;
  endfor;
  return true;
end;

function SharerCountBut(r: Node): AckCount;
var c: 0..NODES;
begin
  c := 0;
  for n: Node do
    if sharers[n] & n != r then
      c := c + 1;
    endif;
  endfor;
  return c;
end;

function OnlySharer(r: Node): boolean;
begin
  for n: Node do
    if sharers[n] != (n = r) then
      return false;
    endif;
  endfor;
  return true;
end;

function Readable(s: CState): boolean;
begin
  return s = C_S | s = C_SM_AD | s = C_SM_A | s = C_M;
end;

-- COMPLETE: the core's outstanding request completes (Store writes its value, Load checks it)
procedure Complete(n: Node);
begin
  assert pend[n] != OP_NONE "completion without a pending request";
  if pend[n] = OP_STORE then
    cval[n] := pendVal[n];
    lastWrite := pendVal[n];
  else
    assert cval[n] = lastWrite "data value: a load returned something other than the last write";
  endif;
  pend[n] := OP_NONE;
  pendVal[n] := 0;
end;

-------------------------------------------------------------------------------
-- the cores

ruleset n: Node do

  rule "Load"
    pend[n] = OP_NONE & issued[n] < OPS
    & (cst[n] = C_I | cst[n] = C_S | cst[n] = C_SM_AD | cst[n] = C_SM_A | cst[n] = C_M)
  ==>
  begin
    issued[n] := issued[n] + 1;
    if cst[n] = C_I then
      cst[n] := C_IS_D;
      nGetS[n] := nGetS[n] + 1;
      pend[n] := OP_LOAD;
      pendVal[n] := 0;
    else
      -- hit
      assert cval[n] = lastWrite "data value: a load hit returned something other than the last write";
    endif;
  end;

  ruleset v: StoreVal do
    rule "Store"
      pend[n] = OP_NONE & issued[n] < OPS & (cst[n] = C_I | cst[n] = C_S | cst[n] = C_M)
    ==>
    begin
      issued[n] := issued[n] + 1;
      switch cst[n]
      case C_I:
        cst[n] := C_IM_AD;
        nGetM[n] := nGetM[n] + 1;
        pend[n] := OP_STORE;
        pendVal[n] := v;
      case C_S:
        cst[n] := C_SM_AD;
        nGetM[n] := nGetM[n] + 1;
        pend[n] := OP_STORE;
        pendVal[n] := v;
      case C_M:
        -- hit
        cval[n] := v;
        lastWrite := v;
      endswitch;
    end;
  endruleset;

  rule "Replacement"
    pend[n] = OP_NONE & issued[n] < OPS & (cst[n] = C_S | cst[n] = C_M)
  ==>
  begin
    issued[n] := issued[n] + 1;
    if cst[n] = C_S then
      cst[n] := C_SI_A;
      nPutS[n] := nPutS[n] + 1;
    else
      cst[n] := C_MI_A;
      nPutM[n][cval[n]] := nPutM[n][cval[n]] + 1;
    endif;
  end;

endruleset;

-------------------------------------------------------------------------------
-- the directory (Table 8.2)

ruleset r: Node do

  rule "Dir GetS"
    nGetS[r] > 0 & dst != D_S_D
  ==>
  begin
    nGetS[r] := nGetS[r] - 1;
    switch dst
    case D_I, D_S:
      nDirData[r][memory][0] := nDirData[r][memory][0] + 1;
      sharers[r] := true;
      dst := D_S;
    case D_M:
      SendFwd(FWD_GETS, owner, r);
      sharers[r] := true;
      sharers[owner] := true;
      hasOwner := false;
      undefine owner;
      dst := D_S_D;
    endswitch;
  end;

  rule "Dir GetM"
    nGetM[r] > 0 & dst != D_S_D
  ==>
  var k: AckCount;
  begin
    nGetM[r] := nGetM[r] - 1;
    switch dst
    case D_I:
      nDirData[r][memory][0] := nDirData[r][memory][0] + 1;
      hasOwner := true;
      owner := r;
      dst := D_M;
    case D_S:
      k := SharerCountBut(r);
      nDirData[r][memory][k] := nDirData[r][memory][k] + 1;
      for n: Node do
        if sharers[n] & n != r then
          SendFwd(FWD_INV, n, r);
        endif;
      endfor;
      for n: Node do
        sharers[n] := false;
      endfor;
      hasOwner := true;
      owner := r;
      dst := D_M;
    case D_M:
      SendFwd(FWD_GETM, owner, r);
      owner := r;
    endswitch;
  end;

  rule "Dir PutS"
    nPutS[r] > 0
  ==>
  begin
    nPutS[r] := nPutS[r] - 1;
    switch dst
    case D_I, D_M:
      SendFwd(FWD_PUT_ACK, r, r);
    case D_S:
      if OnlySharer(r) then
        dst := D_I;
      endif;
      sharers[r] := false;
      SendFwd(FWD_PUT_ACK, r, r);
    case D_S_D:
      sharers[r] := false;
      SendFwd(FWD_PUT_ACK, r, r);
    endswitch;
  end;

  ruleset v: Val do
    rule "Dir PutM"
      nPutM[r][v] > 0
    ==>
    begin
      nPutM[r][v] := nPutM[r][v] - 1;
      if hasOwner & owner = r then
        -- PutM from owner: only defined in M
        if dst != D_M then
          error "directory: PutM from owner has no transition in this state";
        endif;
        memory := v;
        hasOwner := false;
        undefine owner;
        dst := D_I;
        SendFwd(FWD_PUT_ACK, r, r);
      else
        -- PutM from non-owner
        switch dst
        case D_I, D_M:
          SendFwd(FWD_PUT_ACK, r, r);
        case D_S, D_S_D:
          sharers[r] := false;
          SendFwd(FWD_PUT_ACK, r, r);
        endswitch;
      endif;
    end;

    ruleset q: Node do
      rule "Dir Data from owner"
        nOwnDataDir[r][q][v] > 0
      ==>
      begin
        nOwnDataDir[r][q][v] := nOwnDataDir[r][q][v] - 1;
        if dst != D_S_D then
          error "directory: Data has no transition in this state";
        endif;
        memory := v;
        dst := D_S;
      end;
    endruleset;
  endruleset;

endruleset;

-------------------------------------------------------------------------------
-- the caches (Table 8.1): forward network, in per-target FIFO order

function FwdStalls(i: FwdIdx): boolean;
var s: CState;
begin
  s := cst[fwd[i].dst];
  switch fwd[i].mtype
  case FWD_GETS, FWD_GETM:
    return s = C_IM_AD | s = C_IM_A | s = C_SM_AD | s = C_SM_A;
  case FWD_INV:
    return s = C_IS_D;
  case FWD_PUT_ACK:
    return false;
  endswitch;
end;

ruleset i: FwdIdx do
  rule "Cache forward message"
    i < fwdLen & FwdHead(i) & !FwdStalls(i)
  ==>
  var n: Node; r: Node; t: FwdType;
  begin
    n := fwd[i].dst;
    r := fwd[i].req;
    t := fwd[i].mtype;
    RemoveFwd(i);
    switch t
    case FWD_GETS:
      switch cst[n]
      case C_M:
        nOwnData[n][r][cval[n]] := nOwnData[n][r][cval[n]] + 1;
        nOwnDataDir[n][r][cval[n]] := nOwnDataDir[n][r][cval[n]] + 1;
        cst[n] := C_S;
      case C_MI_A:
        nOwnData[n][r][cval[n]] := nOwnData[n][r][cval[n]] + 1;
        nOwnDataDir[n][r][cval[n]] := nOwnDataDir[n][r][cval[n]] + 1;
        cst[n] := C_SI_A;
      else
        error "cache: Fwd-GetS has no transition in this state";
      endswitch;
    case FWD_GETM:
      switch cst[n]
      case C_M:
        nOwnData[n][r][cval[n]] := nOwnData[n][r][cval[n]] + 1;
        cst[n] := C_I;
      case C_MI_A:
        nOwnData[n][r][cval[n]] := nOwnData[n][r][cval[n]] + 1;
        cst[n] := C_II_A;
      else
        error "cache: Fwd-GetM has no transition in this state";
      endswitch;
    case FWD_INV:
      switch cst[n]
      case C_S:
        nInvAck[n][r] := nInvAck[n][r] + 1;
        cst[n] := C_I;
      case C_SM_AD:
        nInvAck[n][r] := nInvAck[n][r] + 1;
        cst[n] := C_IM_AD;
      case C_SI_A:
        nInvAck[n][r] := nInvAck[n][r] + 1;
        cst[n] := C_II_A;
      else
        error "cache: Inv has no transition in this state";
      endswitch;
    case FWD_PUT_ACK:
      switch cst[n]
      case C_MI_A, C_SI_A, C_II_A:
        cst[n] := C_I;
      else
        error "cache: Put-Ack has no transition in this state";
      endswitch;
    endswitch;
  end;
endruleset;

-------------------------------------------------------------------------------
-- the caches: response network, any order

ruleset n: Node do

  ruleset v: Val do

    ruleset k: AckCount do
      rule "Cache Data from Dir"
        nDirData[n][v][k] > 0
      ==>
      begin
        nDirData[n][v][k] := nDirData[n][v][k] - 1;
        if k + cacks[n] = 0 then
          -- Data from Dir (ack=0)
          switch cst[n]
          case C_IS_D:
            cval[n] := v;
            Complete(n);
            cst[n] := C_S;
          case C_IM_AD, C_SM_AD:
            cval[n] := v;
            cacks[n] := cacks[n] + k;
            Complete(n);
            cst[n] := C_M;
          else
            error "cache: Data from Dir (ack=0) has no transition in this state";
          endswitch;
        else
          -- Data from Dir (ack>0)
          switch cst[n]
          case C_IM_AD:
            cval[n] := v;
            cacks[n] := cacks[n] + k;
            cst[n] := C_IM_A;
          case C_SM_AD:
            cval[n] := v;
            cacks[n] := cacks[n] + k;
            cst[n] := C_SM_A;
          else
            error "cache: Data from Dir (ack>0) has no transition in this state";
          endswitch;
        endif;
      end;
    endruleset;

    ruleset o: Node do
      rule "Cache Data from Owner"
        nOwnData[o][n][v] > 0
      ==>
      begin
        nOwnData[o][n][v] := nOwnData[o][n][v] - 1;
        switch cst[n]
        case C_IS_D:
          cval[n] := v;
          Complete(n);
          cst[n] := C_S;
        case C_IM_AD, C_SM_AD:
          cval[n] := v;
          Complete(n);
          cst[n] := C_M;
        else
          error "cache: Data from Owner has no transition in this state";
        endswitch;
      end;
    endruleset;

  endruleset;

  ruleset s: Node do
    rule "Cache Inv-Ack"
      nInvAck[s][n] > 0
    ==>
    begin
      nInvAck[s][n] := nInvAck[s][n] - 1;
      if (cst[n] = C_IM_A | cst[n] = C_SM_A) & cacks[n] = 1 then
        -- Last-Inv-Ack
        cacks[n] := cacks[n] - 1;
        Complete(n);
        cst[n] := C_M;
      else
        switch cst[n]
        case C_IM_AD, C_IM_A, C_SM_AD, C_SM_A:
          cacks[n] := cacks[n] - 1;
        else
          error "cache: Inv-Ack has no transition in this state";
        endswitch;
      endif;
    end;
  endruleset;

endruleset;

-------------------------------------------------------------------------------
-- the end: every core has issued all its requests and everything has settled

function Quiescent(): boolean;
begin
  if fwdLen != 0 then return false; endif;
  for n: Node do
    if pend[n] != OP_NONE | nGetS[n] != 0 | nGetM[n] != 0 | nPutS[n] != 0 then return false; endif;
    for v: Val do
      if nPutM[n][v] != 0 then return false; endif;
      for k: AckCount do
        if nDirData[n][v][k] != 0 then return false; endif;
      endfor;
      for m: Node do
        if nOwnData[n][m][v] != 0 | nOwnDataDir[n][m][v] != 0 then return false; endif;
      endfor;
    endfor;
    for m: Node do
      if nInvAck[n][m] != 0 then return false; endif;
    endfor;
  endfor;
  return true;
end;

function AllIssued(): boolean;
begin
  return forall n: Node do issued[n] = OPS endforall;
end;

-- Only a state in which every core has issued all its requests can be quiescent and stuck
-- (a quiescent cache is in I, S or M, where a Load is always enabled). This rule keeps such
-- a final state from counting as a deadlock; any other stuck state is reported as one
-- (generate with --deadlock-detection stuck).
rule "Done"
  AllIssued() & Quiescent()
==>
begin
end;

-------------------------------------------------------------------------------
-- invariants

invariant "single writer, multiple readers"
  forall n: Node do
    cst[n] = C_M -> forall m: Node do m != n -> !Readable(cst[m]) endforall
  endforall;

invariant "at the end the directory agrees with the caches"
  (AllIssued() & Quiescent()) ->
  (dst != D_S_D
   & (forall n: Node do
        (dst = D_I -> cst[n] = C_I)
        & (dst = D_S -> (sharers[n] -> (cst[n] = C_S & cval[n] = memory)) & (!sharers[n] -> cst[n] = C_I))
        & (dst = D_M -> ((hasOwner & owner = n) -> cst[n] = C_M) & (!(hasOwner & owner = n) -> cst[n] = C_I))
      endforall)
   & (dst != D_M -> memory = lastWrite));

-------------------------------------------------------------------------------

startstate "quiet, memory 0"
begin
  for n: Node do
    cst[n] := C_I;
    cval[n] := 0;
    cacks[n] := 0;
    pend[n] := OP_NONE;
    pendVal[n] := 0;
    issued[n] := 0;
    sharers[n] := false;
    nGetS[n] := 0;
    nGetM[n] := 0;
    nPutS[n] := 0;
    for v: Val do
      nPutM[n][v] := 0;
      for k: AckCount do
        nDirData[n][v][k] := 0;
      endfor;
      for m: Node do
        nOwnData[n][m][v] := 0;
        nOwnDataDir[n][m][v] := 0;
      endfor;
    endfor;
    for m: Node do
      nInvAck[n][m] := 0;
    endfor;
  endfor;
  dst := D_I;
  hasOwner := false;
  undefine owner;
  memory := 0;
  lastWrite := 0;
  undefine fwd;
  fwdLen := 0;
end;
