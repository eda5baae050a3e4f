package io.wirelake.kfl;

import dev.cel.common.internal.EnvVisitable;
import dev.cel.common.internal.EnvVisitor;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.expr.Decl;
import dev.cel.parser.CelMacro;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * KFL builds CEL's standard declarations once, with the filter CEL applies when it builds them per
 * check. The oracle is CEL's own: the environment of a compiler that leaves the standard
 * environment to CEL, declaration by declaration.
 */
class KflEnvironmentTest
{
    @Test
    void standardDeclarationsBuiltOnceAreTheOnesCelBuildsPerCheck()
    {
        Map<String, List<Decl>> cels = declarations(KflEnvironment.compiler(CelCompilerFactory.standardCelCompilerBuilder()));
        Map<String, List<Decl>> kfls = declarations(KflEnvironment.compiler());
        // the standard functions, KFL's two and every column: hundreds, not an empty comparison
        assertThat(cels).hasSizeGreaterThan(300).containsKeys("_==_", "timestamp", "int", "matches", "map_get", "now", "status_code");
        assertThat(kfls).isEqualTo(cels);
        // and the comparison sees the filter: CEL leaves some standard overloads out for these options
        Map<String, List<Decl>> unfiltered = declarations(KflEnvironment.compiler(CelCompilerFactory.standardCelCompilerBuilder()
                .setStandardEnvironmentEnabled(false).setStandardDeclarations(dev.cel.checker.CelStandardDeclarations.newBuilder().build())));
        assertThat(unfiltered).isNotEqualTo(cels);
    }

    private static Map<String, List<Decl>> declarations(CelCompiler compiler)
    {
        Map<String, List<Decl>> declarations = new TreeMap<>();
        ((EnvVisitable) compiler).accept(new EnvVisitor()
        {
            @Override
            public void visitDecl(String name, List<Decl> decls)
            {
                declarations.put(name, decls);
            }

            @Override
            public void visitMacro(CelMacro macro)
            {
            }
        });
        return declarations;
    }
}
