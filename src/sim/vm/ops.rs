//! Arithmetic and comparison on values (shared by constant folding and the interpreter).

use super::program::{BinOp, UnOp};
use super::value::{values_equal, Value};
use std::rc::Rc;

/// Errors are Go runtime panic messages.
pub fn binop(op: BinOp, a: &Value, b: &Value) -> Result<Value, String> {
    use Value::*;
    match (a, b) {
        (Int(x), Int(y)) => int_op(op, *x, *y).map(|r| match r {
            IntRes::I(v) => Int(v),
            IntRes::B(v) => Bool(v),
        }),
        (Dur(x), Dur(y)) | (Dur(x), Int(y)) | (Int(x), Dur(y)) => {
            int_op(op, *x, *y).map(|r| match r {
                IntRes::I(v) => Dur(v),
                IntRes::B(v) => Bool(v),
            })
        }
        (Dur(x), Float(y)) | (Float(y), Dur(x)) => Ok(Dur(match op {
            BinOp::Mul => (*x as f64 * y) as i64,
            BinOp::Div => (*x as f64 / y) as i64,
            _ => return float_op(op, *x as f64, *y),
        })),
        (Time(x), Dur(y)) => match op {
            BinOp::Add => Ok(Time(x + y)),
            BinOp::Sub => Ok(Time(x - y)),
            _ => std::result::Result::Err("invalid time operation".into()),
        },
        (Time(x), Time(y)) => int_op(op, *x, *y).map(|r| match r {
            IntRes::I(v) => Dur(v),
            IntRes::B(v) => Bool(v),
        }),
        (Float(x), Float(y)) => float_op(op, *x, *y),
        (Float(x), Int(y)) => float_op(op, *x, *y as f64),
        (Int(x), Float(y)) => float_op(op, *x as f64, *y),
        (Str(x), Str(y)) => Ok(match op {
            BinOp::Add => {
                let mut s = String::with_capacity(x.len() + y.len());
                s.push_str(x);
                s.push_str(y);
                Str(Rc::from(s))
            }
            BinOp::Eq => Bool(x == y),
            BinOp::Ne => Bool(x != y),
            BinOp::Lt => Bool(x < y),
            BinOp::Le => Bool(x <= y),
            BinOp::Gt => Bool(x > y),
            BinOp::Ge => Bool(x >= y),
            _ => return std::result::Result::Err("invalid string operation".into()),
        }),
        (Bool(x), Bool(y)) => Ok(match op {
            BinOp::Eq => Bool(x == y),
            BinOp::Ne => Bool(x != y),
            _ => return std::result::Result::Err("invalid bool operation".into()),
        }),
        _ => match op {
            BinOp::Eq | BinOp::Ne => {
                let eq = match values_equal(a, b) {
                    Some(e) => e,
                    None => {
                        return std::result::Result::Err(format!(
                            "runtime error: comparing uncomparable type {}",
                            kind_name(a)
                        ))
                    }
                };
                Ok(Bool(if op == BinOp::Eq { eq } else { !eq }))
            }
            _ => std::result::Result::Err(format!(
                "invalid operation: operator on {} and {}",
                kind_name(a),
                kind_name(b)
            )),
        },
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Slice(_) => "[]T",
        Value::Map(_) => "map",
        Value::Func(_) => "func",
        _ => "value",
    }
}

enum IntRes {
    I(i64),
    B(bool),
}

#[inline]
fn int_op(op: BinOp, x: i64, y: i64) -> Result<IntRes, String> {
    use IntRes::*;
    Ok(match op {
        BinOp::Add => I(x.wrapping_add(y)),
        BinOp::Sub => I(x.wrapping_sub(y)),
        BinOp::Mul => I(x.wrapping_mul(y)),
        BinOp::Div => {
            if y == 0 {
                return std::result::Result::Err("runtime error: integer divide by zero".into());
            }
            I(x.wrapping_div(y))
        }
        BinOp::Rem => {
            if y == 0 {
                return std::result::Result::Err("runtime error: integer divide by zero".into());
            }
            I(x.wrapping_rem(y))
        }
        BinOp::And => I(x & y),
        BinOp::Or => I(x | y),
        BinOp::Xor => I(x ^ y),
        BinOp::AndNot => I(x & !y),
        BinOp::Shl => {
            if y < 0 {
                return std::result::Result::Err("runtime error: negative shift amount".into());
            }
            I(if y >= 64 { 0 } else { x.wrapping_shl(y as u32) })
        }
        BinOp::Shr => {
            if y < 0 {
                return std::result::Result::Err("runtime error: negative shift amount".into());
            }
            I(if y >= 64 {
                if x < 0 {
                    -1
                } else {
                    0
                }
            } else {
                x >> y
            })
        }
        BinOp::Eq => B(x == y),
        BinOp::Ne => B(x != y),
        BinOp::Lt => B(x < y),
        BinOp::Le => B(x <= y),
        BinOp::Gt => B(x > y),
        BinOp::Ge => B(x >= y),
    })
}

fn float_op(op: BinOp, x: f64, y: f64) -> Result<Value, String> {
    use Value::*;
    Ok(match op {
        BinOp::Add => Float(x + y),
        BinOp::Sub => Float(x - y),
        BinOp::Mul => Float(x * y),
        BinOp::Div => Float(x / y),
        BinOp::Eq => Bool(x == y),
        BinOp::Ne => Bool(x != y),
        BinOp::Lt => Bool(x < y),
        BinOp::Le => Bool(x <= y),
        BinOp::Gt => Bool(x > y),
        BinOp::Ge => Bool(x >= y),
        _ => return std::result::Result::Err("invalid operation on float64".into()),
    })
}

pub fn unop(op: UnOp, v: &Value) -> Result<Value, String> {
    Ok(match (op, v) {
        (UnOp::Neg, Value::Int(i)) => Value::Int(i.wrapping_neg()),
        (UnOp::Neg, Value::Dur(i)) => Value::Dur(i.wrapping_neg()),
        (UnOp::Neg, Value::Float(f)) => Value::Float(-f),
        (UnOp::Plus, v) => v.clone(),
        (UnOp::Not, Value::Bool(b)) => Value::Bool(!b),
        (UnOp::BitNot, Value::Int(i)) => Value::Int(!i),
        _ => return std::result::Result::Err("invalid unary operation".into()),
    })
}
